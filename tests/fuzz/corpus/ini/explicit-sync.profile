# A compositor with explicit sync (PipeWire 1.2+, as Mutter 47+ and KWin 6.1+ do with a GPU whose
# driver has DRM syncobj timelines): for the DMA-BUF formats its first Buffers param asks for
# three data blocks (the plane, then the acquire and release syncobjs) and requires the
# SyncTimeline meta (metaType); a second Buffers param without it follows for consumers that do
# not do explicit sync. The producer fixates the modifier, as Mutter does. Against a daemon
# older than 1.2 it sends the plain Buffers param only, as compositors do there. Without a DRM
# device the syncobjs are emulated with eventfds (and every report says none can be waited on).
[producer]
description = DMA-BUF producer offering explicit sync (SyncTimeline) beside plain buffers
modelled-on = Mutter 47+ / KWin 6.1+ screencast with explicit sync (PipeWire 1.2+)
node-name = pwzc-explicit-sync
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
fixation = producer
explicit-sync = offered
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
