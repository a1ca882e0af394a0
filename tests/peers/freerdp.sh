# Sourced by tests/peers/grd.sh and tests/peers/krdp.sh, after tests/lib.sh: a real FreeRDP 3
# client (xfreerdp3, in an Xvfb of its own for its window) connecting to an RDP server the test
# started on 127.0.0.1. Debian packages: freerdp3-x11 xvfb xauth.
#
#   start_freerdp_client PORT USER PASSWORD SIZE
#       returns once it is started; $FREERDP_PID and $FREERDP_X_PID are the test's to stop.
start_freerdp_client() {
    local display=:$((50 + RANDOM % 900))
    start_bg xvfb Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp
    FREERDP_X_PID=${PIDS[-1]}
    peer_wait "$FREERDP_X_PID" 200 test -S "/tmp/.X11-unix/X${display#:}"
    # /cert:ignore: the server's certificate is the test's own, made a second ago.
    start_bg freerdp env DISPLAY="$display" xfreerdp3 "/v:127.0.0.1:$1" "/u:$2" "/p:$3" \
        /cert:ignore "/size:$4" /log-level:INFO
    FREERDP_PID=${PIDS[-1]}
}
