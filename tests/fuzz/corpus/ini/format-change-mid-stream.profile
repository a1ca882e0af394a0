# A producer that switches pixel format half a second into the stream (BGRx -> RGBx: an HDR or
# colour-depth toggle, a new output on another GPU): from then on it announces RGBx only, and
# the link renegotiates. A consumer must convert the new layout, not keep reading BGRx.
[producer]
description = SHM producer that changes pixel format mid-stream (BGRx -> RGBx after 0.5 s)
modelled-on = compositors renegotiating after an output change
node-name = pwzc-format-change
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
format-change = RGBx
format-change-after = 0.5
metas = header

[format]
formats = BGRx, RGBx
modifiers = none
data-type = memfd
