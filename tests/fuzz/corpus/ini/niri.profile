# niri: serves the Mutter ScreenCast D-Bus API itself (src/dbus/mutter_screen_cast.rs), so
# xdg-desktop-portal-gnome casts from it; its PipeWire stream is DMA-BUF only.
# Read from YaLTeR/niri (now niri-wm/niri) main at f30db163 (v25.11-106-g, 2026-01-28),
# src/screencasting/pw_utils.rs and src/screencasting/mod.rs; v25.11 has the same pods in
# src/pw_utils.rs, without the cursor meta. Quirks, each with its place:
# - DMA-BUF only: every EnumFormat has a modifier property, MANDATORY; the Buffers dataType is
#   DmaBuf alone (make_video_params; the Buffers param in param_changed). No SHM fallback: an
#   SHM-only consumer gets no format.
# - DONT_FIXATE only with more than one modifier (make_video_params: `if formats.len() > 1`);
#   the modifier is an Enum choice even when it holds one (here: LINEAR alone, then MANDATORY
#   only, as an Enum of one). niri fixates itself when the consumer leaves it open
#   (find_preferred_modifier, then a fixated EnumFormat first and the full one behind it).
# - maxFramerate in the output's refresh in mHz over 1000: Range(60000/1000, 1/1, 60000/1000)
#   for a 60 Hz output (make_video_params, `denom: 1000`); framerate 0/1.
# - Outputs offer BGRx only; windows BGRx then BGRA, two EnumFormats (make_params!, `alpha`).
# - Metas: Header only; no damage, no crop. A Cursor meta only in metadata cursor mode and
#   only with PipeWire 1.4.8 or later (pw_version_supports_cursor_metadata), else the cursor is
#   drawn in. This profile is an output cast with an embedded cursor: Header alone.
# - Buffers: Range(8, 2, 16), blocks = planes, no size and no stride (param_changed).
# - Chunks: maxsize 1 and chunk size 1 on every good frame (mark_buffer_as_good; its comment
#   cites docs.pipewire.org/page_dma_buf.html: a DMA-BUF's size means nothing); a frame it
#   could not render has size 0 and CORRUPTED in chunk and header (return_unused_buffer):
#   not in this profile, which is niri rendering well; `hostile = failed-render` added to it
#   makes such buffers (producers_from_source_quirks_reach_the_consumer.sh does).
#   Data flags READWRITE. Header: flags 0 and seq counted per good frame; pts never written.
# - A driver (StreamFlags::DRIVER | ALLOC_BUFFERS) that renders only on damage or a cursor
#   move ("no damage, skipping frame"); node.name niri-screen-cast-src, no media.class of its
#   own (pw_stream gives Stream/Output/Video).
[producer]
description = niri: DMA-BUF only, LINEAR (an Enum of one, no DONT_FIXATE), maxFramerate in mHz
modelled-on = niri main f30db163 (v25.11+), src/screencasting/pw_utils.rs: an output cast, embedded cursor
node-name = niri-screen-cast-src
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60000/1000
fps = 30
buffers = 2..16
buffers-default = 8
metas = header
header-pts = unset
chunk-size = one

[format]
formats = BGRx
modifiers = LINEAR
modifier-flags = mandatory, choice
data-type = dmabuf
