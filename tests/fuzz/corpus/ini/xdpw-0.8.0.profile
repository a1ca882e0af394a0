# xdg-desktop-portal-wlr 0.8.0 and 0.8.1: the xdpw-0.8 profile (read it for the rest) with the
# one thing 0.8.2 fixed. Read from emersion/xdg-desktop-portal-wlr v0.8.0,
# src/screencast/pipewire_screencast.c, pwr_handle_stream_add_buffer: every data's flags are 0,
# neither READABLE nor MAPPABLE. The daemon makes a MemFd MAPPABLE on its way to the consumer
# (module-client-node, client_node_port_buffers, "fixing to ensure backwards compatibility") but
# not READABLE, and since PipeWire 1.5.81 (commit 5ccaf297, "stream: only mmap buffers when not
# already mapped ... mmap with the permissions on the data") a consumer stream connected with
# PW_STREAM_FLAG_MAP_BUFFERS maps the buffer with exactly those permissions: PROT_NONE. OBS,
# Sunshine and gpu-screen-recorder read datas[0].data and fault on their first frame; a client
# that maps the fd itself (pipewiresrc, libwebrtc, gnome-remote-desktop) does not notice. Before
# 1.5.81 every consumer's mapping was PROT_READ, so on 0.3.x and 1.4 this profile is xdpw-0.8.
# xdpw 0.8.2 (commit 4598313, 2026-03-13) sets READABLE | MAPPABLE for this reason; the Debian
# forky xdpw (0.8.4) has it, so no real xdpw here shows this: real OBS, which crashes against
# this profile on 1.6, referees it (clients_obs_referee_agrees.sh).
[producer]
description = xdg-desktop-portal-wlr 0.8.0/0.8.1 without a GPU: as xdpw-0.8, but its SHM buffers carry no data flag
modelled-on = xdpw v0.8.0 pipewire_screencast.c (pwr_handle_stream_add_buffer); PipeWire 1.5.81 stream.c (5ccaf297)
node-name = xdpw-stream-pwzc00
media-class = Video/Source
size = 1280x720
framerate = 0/1
max-framerate = 30/1
fps = 30
driver = no
buffers = 2..32
buffers-default = 2
metas = header, damage, transform

[format]
formats = BGRx
modifiers = none
data-type = memfd
data-flags = none
