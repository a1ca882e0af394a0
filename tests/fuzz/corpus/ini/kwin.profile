# KWin 6.7 (Plasma 6.7) screencast, read from KWin's source: KDE/kwin v6.7.4 (Debian forky's
# kwin 4:6.7.4-2), src/plugins/screencast/screencaststream.cpp (buildFormats, buildFormat,
# onStreamParamChanged, newStreamParams, record, addCursorMetadata), outputscreencastsource.cpp
# (drmFormat, refreshRate), screencastmanager.cpp, pipewirecore.cpp.
#
# What a consumer sees, and how the profile models it:
# - Two EnumFormats. First DMA-BUF: the output's DRM_FORMAT_ARGB8888 announced as BGRA with BGRx
#   beside it ("equivalent format without alpha"), the render device's modifiers for it, flags
#   MANDATORY|DONT_FIXATE; present only where a test allocation succeeded (m_hasDmaBuf). Then SHM:
#   the same formats, no modifier property. Size fixed; framerate 0/1; maxFramerate a range from
#   0/1 up to the output's refresh (60/1 on the virtual output).
# - The producer fixates: a Format that still holds a modifier choice makes KWin test-allocate
#   from it and announce the one modifier it got (MANDATORY) first, the full EnumFormats behind it.
# - Buffers: 3 (2..4), one data type (DmaBuf or MemFd, never both). With a DRM device that has
#   syncobj timelines, a first Buffers param with two more blocks and metaType SyncTimeline flagged
#   MANDATORY, then the plain one; the SyncTimeline meta last.
# - Metas: Cursor (a 256x256 bitmap's room), VideoDamage (16 regions), Header.
# - Frames are damage-driven. A pointer move with no new picture (cursor mode Metadata) is a
#   buffer whose chunk keeps the last size but is flagged SPA_CHUNK_FLAG_CORRUPTED ("do not look
#   at the frame contents"), its cursor meta set: hostile = cursor-only-corrupted, here every 5th.
# - The stream is made with no properties: libpipewire names its class Stream/Output/Video.
# - A refused link is no threat to the session: KWin's core listener takes only an EPIPE on the
#   core as fatal (the daemon gone); a stream error is logged and the stream stays.
#
# Learned from the source: pwzc counted KWin's cursor moves (CORRUPTED chunk, cursor meta set) as
# corrupted frames and called a healthy stream half broken; frame.c now counts them cursor-only.
# The emulator learned a MANDATORY SyncTimeline metaType (explicit-sync-flags), a preferred buffer
# count (buffers-default) and these cursor moves (hostile = cursor-only-corrupted).
#
# Not modelled (no verdict depends on them): the SHM Buffers param's align 16 and the DMA-BUF
# one's lack of size/stride; the cursor meta's size (the emulator's is Mutter's range); damage's
# 16 regions (the emulator's 4); KWin dropping, after a failed test allocation, the consumer's
# modifiers from its later EnumFormats.
#
# KWin screencasts only when it composites with OpenGL (screencastmanager.cpp answers every
# request "Unsupported compositing type" otherwise), and its OpenGL needs a DRM device (a GPU's
# render node, or vgem as KWin's CI uses): without one it composites with QPainter and no node
# exists at all (seen: kwin_wayland 6.7.4 --virtual on a kernel without DRM). So there is no
# GPU-less KWin to model: this profile is KWin with OpenGL, whose DMA-BUF format the emulator
# backs with what the machine has (dma-heap, udmabuf, else memfd). The modifiers are an Intel
# GPU's (LINEAR, X-, Y-tiled); vgem + llvmpipe gives LINEAR.
[producer]
description = KWin 6.7 with OpenGL: DMA-BUF (producer fixates) then SHM, 3 buffers, explicit sync
modelled-on = KDE/kwin v6.7.4 src/plugins/screencast/screencaststream.cpp (buildFormats, newStreamParams, record)
node-name = kwin-screencast-Virtual-0
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
max-framerate-min = 0/1
fps = 30
fixation = producer
explicit-sync = offered
explicit-sync-flags = mandatory
buffers = 2..4
buffers-default = 3
metas = header, damage, cursor
hostile = cursor-only-corrupted
hostile-every = 5

[format]
formats = BGRA, BGRx
modifiers = LINEAR, 0x0100000000000001, 0x0100000000000002
modifier-flags = mandatory, dont-fixate
data-type = dmabuf

[format]
formats = BGRA, BGRx
modifiers = none
data-type = memfd
