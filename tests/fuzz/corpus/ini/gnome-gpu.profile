# Mutter with a GPU, as it really negotiates: DMA-BUF formats with a modifier choice first, SHM
# second, and the producer fixates: when the consumer's Format comes back with the modifier still
# open, the producer picks one from the consumer's list that its allocator can use, announces it
# first in a new set of EnumFormats (the full ones behind it), and streams DMA-BUF with it. No
# client has to fixate (none does). gnome-dmabuf is the same producer waiting for the consumer
# to fixate instead.
[producer]
description = Mutter with a GPU: DMA-BUF with modifiers, SHM fallback; the producer fixates
modelled-on = Mutter screencast with a GPU (meta-screen-cast-stream-src.c: on_stream_param_changed fixates a modifier the allocator accepts)
node-name = mutter
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
fixation = producer
buffers = 2..16
metas = header, damage, crop, cursor

[format]
formats = BGRx, BGRA, RGBx
modifiers = LINEAR, 0x0300000000606010, 0x0300000000606015, 0x0100000000000001, 0x0100000000000002
modifier-flags = mandatory, dont-fixate
data-type = dmabuf

[format]
formats = BGRx, BGRA, RGBx
modifiers = none
data-type = memfd
