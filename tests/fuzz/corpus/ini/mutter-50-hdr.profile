# GNOME Mutter 50 casting an HDR monitor (BT.2100 PQ enabled in Settings), with a GPU. Read
# from GNOME/mutter tag 50.4: src/backends/meta-screen-cast-stream-src.c (push_format_object,
# add_format_param, build_format_params, spa_color_state_from_clutter) and
# src/backends/meta-screen-cast-monitor-stream-src.c (update_formats). Quirks, each with its place:
# - On a monitor whose colour state is BT.2020 primaries with the PQ transfer function, three
#   formats follow the basic BGRx and BGRA: xRGB_210LE, xBGR_210LE and RGBA_F16 (half floats,
#   premultiplied) (update_formats: hdr_formats; cogl_spa_format_table).
# - Every EnumFormat carries colorPrimaries and transferFunction as plain Ids: BT.709 and gamma
#   2.2 without flags on BGRx/BGRA, BT.2020 and SMPTE 2084 (PQ) MANDATORY on the HDR formats
#   ("if (spa_color_primaries != ..._BT709 || spa_transfer_function != ..._GAMMA22) flags |=
#   MANDATORY"). A consumer whose format has no colour properties can never get an HDR format:
#   the filter drops a pod whose MANDATORY property it lacks; one that names BT.2020/PQ can.
# - Each format once with modifiers (MANDATORY | DONT_FIXATE), Mutter fixating the one it
#   allocates, then all formats again without a modifier (build_format_params: two loops).
#   Here LINEAR and Intel X-tiled for each.
# - maxFramerate Range(refresh, 1/1..refresh) for a monitor with a mode (get_specs); framerate
#   0/1. Metas Header, VideoCrop, Cursor, VideoDamage (as gnome-gpu).
# Not modelled: the size as a Range whose min and max are the monitor's size (the emulator
# sends a fixed Rectangle, which a filter treats alike), the Tag param (org.gnome.mapping-id),
# and SyncTimeline, which Mutter 50 adds on PipeWire 1.2+ (see explicit-sync).
[producer]
description = GNOME Mutter 50, HDR monitor: BGRx/BGRA (BT.709) and 10-bit/F16 formats with MANDATORY BT.2020 + PQ
modelled-on = mutter 50.4 meta-screen-cast-stream-src.c + monitor-stream-src.c, an HDR (PQ) monitor with a GPU
node-name = mutter
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
buffers = 2..16
metas = header, damage, crop, cursor

[format]
formats = BGRx
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt709
transfer-function = gamma22
color-flags = none

[format]
formats = BGRA
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt709
transfer-function = gamma22
color-flags = none

[format]
formats = xRGB_210LE
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt2020
transfer-function = pq
color-flags = mandatory

[format]
formats = xBGR_210LE
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt2020
transfer-function = pq
color-flags = mandatory

[format]
formats = RGBA_F16
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt2020
transfer-function = pq
color-flags = mandatory

[format]
formats = BGRx
modifiers = none
data-type = memfd
color-primaries = bt709
transfer-function = gamma22
color-flags = none

[format]
formats = BGRA
modifiers = none
data-type = memfd
color-primaries = bt709
transfer-function = gamma22
color-flags = none

[format]
formats = xRGB_210LE
modifiers = none
data-type = memfd
color-primaries = bt2020
transfer-function = pq
color-flags = mandatory

[format]
formats = xBGR_210LE
modifiers = none
data-type = memfd
color-primaries = bt2020
transfer-function = pq
color-flags = mandatory

[format]
formats = RGBA_F16
modifiers = none
data-type = memfd
color-primaries = bt2020
transfer-function = pq
color-flags = mandatory
