#!/usr/bin/python3
# Opens a screencast the way a client does, runs a command on it while the session lives, and
# exits with the command's status:
#   screencast-run.py --api mutter  CMD...   org.gnome.Mutter.ScreenCast: CreateSession,
#                                            RecordMonitor("Meta-0"), Start, PipeWireStreamAdded
#   screencast-run.py --api portal  CMD...   org.freedesktop.portal.ScreenCast: CreateSession,
#                                            SelectSources(monitor), Start, OpenPipeWireRemote
# In CMD, NODE is replaced by the stream's node id and FD (portal only) by the number of the
# PipeWire fd the portal handed out, which the command inherits (gst-launch-1.0 pipewiresrc
# fd=FD path=NODE is how an application hands GStreamer a portal stream).
# Needs Debian's python3-gi (use /usr/bin/python3).
import argparse
import os
import subprocess
import sys

from gi.repository import Gio, GLib

bus = Gio.bus_get_sync(Gio.BusType.SESSION)
loop = GLib.MainLoop()


def call(name, path, iface, method, args, reply, fds=False):
    if fds:
        return bus.call_with_unix_fd_list_sync(name, path, iface, method, args,
                                               GLib.VariantType(reply), 0, 10000, None, None)
    return bus.call_sync(name, path, iface, method, args, GLib.VariantType(reply), 0, 10000, None)


def wait_signal(iface, signal, path, timeout_ms=10000):
    got = []

    def on_signal(conn, sender, p, i, s, params, *a):
        got.append(params)
        loop.quit()
    sub = bus.signal_subscribe(None, iface, signal, path, None, 0, on_signal)
    return got, sub


def run_loop(got, sub, what):
    GLib.timeout_add(10000, loop.quit)
    if not got:
        loop.run()
    bus.signal_unsubscribe(sub)
    if not got:
        sys.exit("screencast-run: no %s within 10 s" % what)
    return got[0]


def mutter():
    name, base = "org.gnome.Mutter.ScreenCast", "org.gnome.Mutter.ScreenCast"
    session = call(name, "/org/gnome/Mutter/ScreenCast", base, "CreateSession",
                   GLib.Variant("(a{sv})", ({},)), "(o)")[0]
    stream = call(name, session, base + ".Session", "RecordMonitor",
                  GLib.Variant("(sa{sv})", ("Meta-0", {})), "(o)")[0]
    got, sub = wait_signal(base + ".Stream", "PipeWireStreamAdded", stream)
    call(name, session, base + ".Session", "Start", None, "()")
    return run_loop(got, sub, "PipeWireStreamAdded")[0], None


def portal_request(method, args, token):
    sender = bus.get_unique_name()[1:].replace(".", "_")
    path = "/org/freedesktop/portal/desktop/request/%s/%s" % (sender, token)
    got, sub = wait_signal("org.freedesktop.portal.Request", "Response", path)
    call("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
         "org.freedesktop.portal.ScreenCast", method, args, "(o)")
    code, results = run_loop(got, sub, method + "'s Response")
    if code != 0:
        sys.exit("screencast-run: %s answered %u" % (method, code))
    return results


def portal():
    token = "pwzcrun%d" % os.getpid()
    session = portal_request("CreateSession", GLib.Variant("(a{sv})", ({
        "handle_token": GLib.Variant("s", token + "a"),
        "session_handle_token": GLib.Variant("s", token)},)), token + "a")["session_handle"]
    portal_request("SelectSources", GLib.Variant("(oa{sv})", (session, {
        "handle_token": GLib.Variant("s", token + "b"),
        "types": GLib.Variant("u", 1)})), token + "b")
    streams = portal_request("Start", GLib.Variant("(osa{sv})", (session, "", {
        "handle_token": GLib.Variant("s", token + "c")})), token + "c")["streams"]
    reply, fds = call("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                      "org.freedesktop.portal.ScreenCast", "OpenPipeWireRemote",
                      GLib.Variant("(oa{sv})", (session, {})), "(h)", fds=True)
    return streams[0][0], fds.get(reply[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api", choices=["mutter", "portal"], required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.cmd[:1] == ["--"]:
        args.cmd = args.cmd[1:]
    node, fd = mutter() if args.api == "mutter" else portal()
    cmd = [c.replace("NODE", str(node)).replace("FD", str(fd)) for c in args.cmd]
    print("screencast-run: node %u%s" % (node, "" if fd is None else ", fd %d" % fd), flush=True)
    # The session lives as long as this connection: wait for the command, then go.
    return subprocess.call(cmd, pass_fds=() if fd is None else (fd,))


if __name__ == "__main__":
    sys.exit(main())
