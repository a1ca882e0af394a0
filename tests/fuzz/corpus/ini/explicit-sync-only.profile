# As explicit-sync, but its DMA-BUF formats offer only the Buffers param that requires the
# SyncTimeline meta: what a consumer that ignores explicit sync gets then is whatever PipeWire
# does (pwzc observes and names it). The SHM format stays, with plain buffers.
[producer]
description = DMA-BUF producer that requires explicit sync (SyncTimeline): no plain Buffers param
modelled-on = Mutter 47+ / KWin 6.1+ screencast with explicit sync (PipeWire 1.2+)
node-name = pwzc-explicit-sync-only
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
fixation = producer
explicit-sync = required
metas = header

[format]
formats = BGRx, BGRA
modifiers = LINEAR, 0x0300000000606010
modifier-flags = mandatory, dont-fixate
data-type = dmabuf

[format]
formats = BGRx, BGRA
modifiers = none
data-type = memfd
