# A producer that negotiates, reaches Streaming, and never sends a single buffer: an idle
# damage-driven compositor, or one whose renderer is wedged. Nothing is wrong with the offer;
# a consumer can only say that nothing came, and not hang waiting for it.
[producer]
description = SHM producer that reaches Streaming and never sends a buffer
modelled-on = a damage-driven compositor with nothing redrawing, or a wedged renderer
node-name = pwzc-no-buffers
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
behaviour = no-buffers
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
