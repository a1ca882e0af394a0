# gamescope's own PipeWire stream (what Steam's recording and remote play read). Read from
# ValveSoftware/gamescope master at fcc13418 (3.16.25-40-g, 2026-08-19), src/pipewire.cpp and
# src/pipewire_gamescope.hpp. Quirks, each with its place:
# - Two formats, BGRx and NV12, each twice: first a pod whose modifier is a MANDATORY Enum
#   holding LINEAR alone (DMA-BUF), then the same pod without a modifier (SHM)
#   (build_format_params: BGRx's pair, then NV12's).
# - NV12 carries colorMatrix Enum(BT601, BT601, BT709) and colorRange Enum(16-235, 16-235,
#   0-255); the consumer's choice picks gamescope's colour conversion (stream_handle_add_buffer).
#   NV12 goes in one data block: the luma, then the interleaved chroma at (h+1)/2 rows, same
#   stride; SHM stride rounded up to 4 with 1 byte a pixel (stream_handle_param_changed).
# - Its own format keys, ids from 0x70000 (pipewire_gamescope.hpp): requested_size, a Rectangle
#   Range(0x0, 0x0..UINT32_MAXxUINT32_MAX), and gamescope_focus_appid, a Long
#   Range(0, INT64_MIN..INT64_MAX); its own meta, requested_size_scale (0x70000, a float).
# - framerate 0/1 and no maxFramerate; capture size rounded up to even (calculate_capture_size).
# - Header: pts -1 on every frame, seq from 0 after each Paused, CORRUPTED (and the chunk's
#   CORRUPTED) while a renegotiation is pending (copy_buffer).
# - Buffers Range(4, 1, 8), blocks 1, size and stride, dataType exactly DmaBuf with a modifier,
#   MemFd without (param_changed). Datas: flags READABLE only (add_buffer).
# - A driver (DRIVER | ALLOC_BUFFERS) with no process callback: a frame when steamcompmgr
#   pushes one (push_pipewire_buffer); node from pw_stream_new "gamescope", Video/Source.
# The empty chunks once seen from gamescope are the empty-chunks profile.
[producer]
description = gamescope: BGRx and NV12 (colour matrix and range), LINEAR-only pod then a plain one, pts -1
modelled-on = gamescope master fcc13418 (3.16.25+), src/pipewire.cpp
node-name = gamescope
media-class = Video/Source
size = 1280x720
framerate = 0/1
max-framerate = none
fps = 30
buffers = 1..8
buffers-default = 4
metas = header
header-pts = minus-one
gamescope-keys = yes

[format]
formats = BGRx
modifiers = LINEAR
modifier-flags = mandatory, choice
data-type = dmabuf
data-flags = readable

[format]
formats = BGRx
modifiers = none
data-type = memfd
data-flags = readable

[format]
formats = NV12
modifiers = LINEAR
modifier-flags = mandatory, choice
data-type = dmabuf
data-flags = readable
color-matrix = bt601, bt709
color-range = 16-235, 0-255

[format]
formats = NV12
modifiers = none
data-type = memfd
data-flags = readable
color-matrix = bt601, bt709
color-range = 16-235, 0-255
