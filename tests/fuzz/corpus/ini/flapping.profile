# Streams, then about every second drops back to Paused and renegotiates (it re-announces its
# EnumFormat with another maxFramerate): what users see when a consumer cannot import the NVIDIA
# block-linear modifier it was given and the two sides keep renegotiating.
[producer]
description = streams, then drops to Paused and renegotiates about every second
modelled-on = Streaming <-> Paused flapping reported with NVIDIA block-linear modifiers
node-name = pwzc-flapping
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
behaviour = flapping
flap-interval = 0.8
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
