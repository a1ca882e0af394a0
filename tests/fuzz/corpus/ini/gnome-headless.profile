# GNOME Mutter headless without a GPU: SHM only.
[producer]
description = GNOME Mutter 43 headless, software renderer: SHM only
modelled-on = mutter 43.8 on Debian 12, --headless --virtual-monitor 1280x720, no GPU
node-name = mutter
# Mutter registers its screencast as a stream, not a device: Stream/Output/Video
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
buffers = 2..16
metas = header, damage, crop, cursor

[format]
formats = BGRx
modifiers = none
data-type = memfd
