# A producer whose buffers all arrive with an empty chunk (size 0): no picture, ever. gamescope
# was seen to send such frames, and damage-driven producers send them when nothing changed.
# Buffers arrive and Streaming holds, but no frame: a consumer must count every buffer as
# empty and never say that none came. Real clients differ: OBS, gnome-remote-desktop and
# Sunshine skip them and keep their last picture (black, as none came), pipewiresrc 1.x drops
# them, 0.3.x pushes them on empty.
[producer]
description = SHM producer whose every chunk is empty (size 0)
modelled-on = misbehaving producers (hostile = empty), on the gnome-headless shape
node-name = pwzc-empty-chunks
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
hostile = empty
hostile-every = 1
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
