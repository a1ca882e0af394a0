# A GNOME-style producer with a GPU: DMA-BUF formats with a modifier choice first, SHM second.
# It leaves the modifier open (DONT_FIXATE) and waits for the consumer to announce the one it
# took: it streams DMA-BUF only to a consumer that fixates. (Mutter itself fixates on the
# producer side; fixation = producer gives that variant.)
[producer]
description = GNOME-style producer with a GPU: DMA-BUF with modifiers, SHM fallback; the consumer fixates
modelled-on = Mutter screencast EnumFormats with a GPU (meta-screen-cast-stream-src.c), fixation by the consumer
node-name = mutter
# Mutter registers its screencast as a stream, not a device: Stream/Output/Video
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
fixation = consumer
buffers = 2..16
metas = header, damage, crop, cursor

[format]
formats = BGRx, BGRA, RGBx
# LINEAR, NVIDIA block-linear (as EGL lists them on an H100), Intel X- and Y-tiled
modifiers = LINEAR, 0x0300000000606010, 0x0300000000606015, 0x0100000000000001, 0x0100000000000002
modifier-flags = mandatory, dont-fixate
data-type = dmabuf

[format]
formats = BGRx, BGRA, RGBx
modifiers = none
data-type = memfd
