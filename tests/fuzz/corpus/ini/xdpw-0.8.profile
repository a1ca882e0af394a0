# xdg-desktop-portal-wlr 0.8 on a wlroots compositor without a GPU (sway 1.12, pixman). Read
# from emersion/xdg-desktop-portal-wlr v0.8.0, src/screencast/pipewire_screencast.c and
# include/pipewire_screencast.h; what it offers was seen from stock xdpw 0.8.4 on sway 1.12 in
# the forky root (PipeWire 1.6.9, shared/peers/README.md): one EnumFormat BGRx 1280x720,
# framerate 0/1, maxFramerate 1/1..30/1, no modifier, MemFd. Quirks, each with its place:
# - Not a driver: pw_stream_connect with PW_STREAM_FLAG_ALLOC_BUFFERS alone
#   (xdpw_pwr_stream_create); each process call dequeues a buffer and starts a capture
#   (pwr_handle_stream_on_process): frames come as the graph's driver asks, no faster.
# - 2 buffers: Buffers Range(XDPW_PWR_BUFFERS 2, XDPW_PWR_BUFFERS_MIN 2, 32), align 16, no size
#   or stride, dataType exactly the negotiated one (build_buffer).
# - Metas Header, VideoTransform and VideoDamage (16 regions) (pwr_update_stream_param).
# - Header: pts the capture's timestamp, seq counted, CORRUPTED when a capture failed (and the
#   chunks' CORRUPTED flag with it) (xdpw_pwr_enqueue_buffer).
# - Datas: flags READABLE, and MAPPABLE on MemFd (since 0.8.2, commit 4598313: "If this is not
#   set then since pipewire's 5ccaf297 clients using PW_STREAM_FLAG_MAP_BUFFERS will receive
#   buffers mmaped without read access leading to segfaults"; 0.8.0 and 0.8.1 set 0: profile
#   xdpw-0.8.0); chunk set in add_buffer; a DMA-BUF chunk of size 0 gets 9 ("clients ... check
#   chunk->size if the buffer is valid").
# - A format with alpha goes as Enum(BGRA, BGRA, BGRx), one without it as a plain Id; with a GPU
#   the DMA-BUF EnumFormats (MANDATORY | DONT_FIXATE) come first (build_formats).
# - node.name xdpw-stream-XXXXXX (random), media.class Video/Source.
# - It exits on the first link error (on_core_error: "pipewire: fatal error event from core");
#   not modelled: the emulator keeps its node.
[producer]
description = xdg-desktop-portal-wlr 0.8 without a GPU: SHM only, 30 fps cap, 2 buffers, not a driver
modelled-on = xdpw v0.8.0 and v0.8.2 pipewire_screencast.c; stock xdpw 0.8.4 on sway 1.12 (pixman), forky root
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
data-flags = readable-mappable
