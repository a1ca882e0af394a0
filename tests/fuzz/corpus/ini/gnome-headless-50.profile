# GNOME Mutter 50 headless without a GPU: SHM only, as gnome-headless, but two EnumFormats and a
# maxFramerate range from 0/1. Seen in the Debian forky root (Mutter 50.5, PipeWire 1.6.9) by
# pwzc probe --mutter: "#1 BGRx 1280x720 framerate 0/1 max 0/1..60/1 (default 60/1); no modifier
# property", "#2 BGRA" the same; MemFd buffers. Mutter 51.0 (sid) offers the same.
# The floor matters on PipeWire 1.6, which rejects a range that filters to nothing: Sunshine's
# maxFramerate Range(0/1, 0/1..0/1) meets 0/1 here and links at once; against Mutter 43/48's
# 1/1..60/1 (gnome-headless) it needs its retry without maxFramerate.
[producer]
description = GNOME Mutter 50 headless, software renderer: SHM only
modelled-on = mutter 50.5 on Debian forky, --headless --virtual-monitor 1280x720, no GPU
node-name = mutter
# Mutter registers its screencast as a stream, not a device: Stream/Output/Video
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
max-framerate-min = 0/1
fps = 30
buffers = 2..16
metas = header, damage, crop, cursor

[format]
formats = BGRx
modifiers = none
data-type = memfd

[format]
formats = BGRA
modifiers = none
data-type = memfd
