# COSMIC: xdg-desktop-portal-cosmic's screencast stream, fed by cosmic-comp's image-copy
# protocol. Read from pop-os/xdg-desktop-portal-cosmic epoch-1.2.0 (2948dd49, 2026-06-26),
# src/screencast_thread.rs. Quirks, each with its place:
# - Only RGBA and BGRA, never the x-variants: FORMAT_MAP holds Abgr8888 -> RGBA and
#   Argb8888 -> BGRA alone, and spa_format() drops every other format, so the compositor's
#   Xrgb8888 SHM format never becomes an EnumFormat (format_params). A consumer that offers
#   only BGRx (many do) gets no format.
# - One EnumFormat per format (no Choice of formats): the DMA-BUF ones first ("Favor dmabuf over
#   shm by listing it first"), then the SHM ones (format_params).
# - framerate fixed 60/1, no maxFramerate ("TODO max framerate", fn format): a consumer that asks
#   for framerate 0/1 only, or a maxFramerate, meets a fixed 60/1.
# - DMA-BUF: modifiers always MANDATORY | DONT_FIXATE, whatever their number, INVALID (implicit)
#   filtered out; cosmic fixates itself (choose_modifier) and puts the fixated pod first.
# - Only a VideoTransform meta: no Header (no pts, no seq), no damage, no cursor ("TODO: header,
#   video damage", fn meta).
# - Buffers: Range(4, 1, 32), size w*h*4, stride w*4, align 16, blocks (fn buffers); dataType
#   MemFd|DmaBuf with a modifier, MemFd without.
# - SHM datas: flags READABLE | MAPPABLE (not writable), maxsize and chunk set once in add_buffer
#   (size w*h*4), never touched in process; DMA-BUF datas: flags 0 and maxsize 0 ("XXX").
# - Not a driver: the stream connects with ALLOC_BUFFERS alone, and each process call dequeues,
#   captures and queues: a frame whenever the graph's driver asks. A failed capture is queued
#   all the same, with the chunk as it was.
# - node.name cosmic-screenshot ("XXX"), media.class Video/Source. No rate limit of its own:
#   fps = 0 here, a frame on every cycle of the graph.
# Here: a GPU listing LINEAR and Intel X-tiled for both formats, SHM formats ARGB and ABGR.
[producer]
description = COSMIC: RGBA/BGRA only, framerate 60/1, no Header meta, not a driver
modelled-on = xdg-desktop-portal-cosmic epoch-1.2.0, src/screencast_thread.rs, with a GPU
node-name = cosmic-screenshot
media-class = Video/Source
size = 1280x720
framerate = 60/1
max-framerate = none
fps = 0
driver = no
fixation = producer
buffers = 1..32
buffers-default = 4
metas = transform

[format]
formats = BGRA
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
data-flags = none

[format]
formats = RGBA
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
data-flags = none

[format]
formats = BGRA
modifiers = none
data-type = memfd
data-flags = readable-mappable

[format]
formats = RGBA
modifiers = none
data-type = memfd
data-flags = readable-mappable
