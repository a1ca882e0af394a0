# The node goes away 1.5 s into the stream, as when the compositor ends the screencast or
# crashes: the emulator destroys its stream and exits. A consumer must notice (the node's
# global is removed), stop, report what it had, and for capture leave a valid file.
[producer]
description = SHM producer whose node goes away 1.5 s after it started streaming
modelled-on = a compositor that crashes or ends the screencast mid-stream
node-name = pwzc-vanish
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
vanish-after = 1.5
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
