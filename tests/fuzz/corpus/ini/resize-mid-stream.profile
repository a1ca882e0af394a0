# A monitor that changes size half a second into the stream (a resolution change, a window
# capture whose window grows): the producer announces a new size, the link renegotiates, and
# frames go on at 1024x576. A consumer must follow the new Format (capture restarts its
# encoder with an IDR frame) rather than read frames with the old size.
[producer]
description = SHM producer that changes size mid-stream (1280x720 -> 1024x576 after 0.5 s)
modelled-on = Mutter and xdpw after an output mode change
node-name = pwzc-resize
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
resize = 1024x576
resize-after = 0.5
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
