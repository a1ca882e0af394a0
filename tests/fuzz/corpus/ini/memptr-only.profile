# A producer whose buffers are plain process memory (MemPtr), as in-process test sources and
# some virtual cameras have: across processes PipeWire must share it some other way.
[producer]
description = a producer with MemPtr buffers only
modelled-on = a pw_stream producer without PW_STREAM_FLAG_ALLOC_BUFFERS and dataType MemPtr
node-name = pwzc-memptr
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memptr
