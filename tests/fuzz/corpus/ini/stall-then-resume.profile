# A producer that stops sending for 1.5 s, 0.3 s into the stream, then goes on as before (a
# busy GPU, an output that blanked for a moment). The stream stays in Streaming throughout. A
# consumer must not give up during the gap, and should say that the picture froze.
[producer]
description = SHM producer that stalls for 1.5 s after 0.3 s of streaming, then resumes
modelled-on = a compositor whose frames stop for a while without any state change
node-name = pwzc-stall
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
stall-after = 0.3
stall-for = 1.5
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
