# A producer that only moves the pointer: every buffer has an empty chunk and a cursor meta
# with an id and a new position, as Mutter sends when the cursor moves over a still screen
# (cursor mode metadata). The picture never changes: a consumer counts every buffer as
# cursor-only; clients update the pointer and keep their last picture.
[producer]
description = SHM producer that sends only cursor moves (empty chunks with a cursor meta)
modelled-on = Mutter's cursor-only updates (meta-screen-cast-stream-src.c), on the gnome-headless shape
node-name = pwzc-cursor-only
size = 640x360
framerate = 0/1
max-framerate = 60/1
fps = 30
hostile = cursor-only
hostile-every = 1
metas = header, cursor

[format]
formats = BGRx
modifiers = none
data-type = memfd
