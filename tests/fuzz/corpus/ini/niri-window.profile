# niri casting a window (src/screencasting/mod.rs: `alpha` true for windows and dynamic
# targets): BGRx first, then BGRA, each DMA-BUF only. With more than one modifier each is left
# open (MANDATORY | DONT_FIXATE) and niri fixates on the producer side; here the two modifiers
# a GBM device lists for ARGB8888 on Intel: LINEAR and X-tiled. Cursor as metadata, which
# needs libpipewire 1.4.8 (pw_version_supports_cursor_metadata, pw_check_library_version):
# cursor-since = 1.4.8, so the emulator announces the Cursor meta only with such a library and
# says so where it leaves it out, as niri then draws the cursor in.
# Every other quirk as in niri.profile: read from YaLTeR/niri main at f30db163 (v25.11+),
# src/screencasting/pw_utils.rs (make_video_params, param_changed, mark_buffer_as_good,
# add_cursor_metadata).
[producer]
description = niri window cast: BGRx then BGRA, DMA-BUF only, two modifiers left open, cursor meta
modelled-on = niri main f30db163 (v25.11+), src/screencasting/pw_utils.rs: a window cast, metadata cursor
node-name = niri-screen-cast-src
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60000/1000
fps = 30
fixation = producer
buffers = 2..16
buffers-default = 8
metas = header, cursor
cursor-since = 1.4.8
header-pts = unset
chunk-size = one

[format]
formats = BGRx
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf

[format]
formats = BGRA
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
