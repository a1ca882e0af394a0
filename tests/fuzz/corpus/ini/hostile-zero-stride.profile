# A broken producer: every other frame's chunk stride is 0.
# A consumer must drop those frames before reading a byte of them, count them by reason, and
# keep taking the good ones: probe still says works (with the drops), capture encodes only the
# good frames. The frames in between are fine so that the stream itself goes on.
[producer]
description = SHM producer whose every other chunk is broken: zero-stride
modelled-on = misbehaving producers (hostile = zero-stride), on the gnome-headless shape
node-name = pwzc-hostile
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
hostile = zero-stride
hostile-every = 2
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
