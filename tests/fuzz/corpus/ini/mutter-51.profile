# GNOME Mutter 51 with a GPU: device-ID negotiation. Read from GNOME/mutter main at 6b22394e
# (51.beta-161-g, 2026-08-21), src/backends/meta-stream-source.c (the screencast stream source,
# renamed from meta-screen-cast-stream-src.c). Quirks, each with its place:
# - node.supports-request = 2 on its stream, 0 only where it must drive (create_pipewire_stream).
# - Beside the EnumFormats (and a Tag param, not modelled) a Capability param, a ParamDict of
#   pipewire.device-id-negotiation = "1" and pipewire.device-ids = {"available-devices:":
#   ["<dev_t in hex>"]}, the JSON key with a stray colon (append_capabilities_dict_entry,
#   build_capability_params). Both need PipeWire 1.5.84: the emulator leaves the param out
#   against an older build or daemon, and says so.
# - On the peer's capabilities (SPA_PARAM_PeerCapability) it reads
#   pipewire.device-id-negotiation = "true"; once, on an idle, it announces its EnumFormats
#   again, and where the peer said so each DMA-BUF pod now carries SPA_FORMAT_VIDEO_deviceId, a
#   MANDATORY Bytes dev_t (on_peer_capability_param_changed, negotiate_with_device_cb,
#   push_format_object). A consumer whose format then lacks a deviceId is left only the SHM pods.
# - Colour properties as Mutter 50: BT.709 and gamma 2.2, no flags, on BGRx and BGRA.
# - EnumFormats with modifiers (MANDATORY | DONT_FIXATE) first, then without, BGRx and BGRA;
#   maxFramerate 1/1..refresh for a monitor; Metas Header, VideoCrop, Cursor, VideoDamage.
# Here: LINEAR and Intel X-tiled; the device the render node's dev_t (226:128 without one).
[producer]
description = GNOME Mutter 51 with a GPU: a Capability param for device-ID negotiation, node.supports-request 2
modelled-on = mutter main 6b22394e (51.beta+), src/backends/meta-stream-source.c, a monitor with a GPU
node-name = mutter
media-class = Stream/Output/Video
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
buffers = 2..16
metas = header, damage, crop, cursor
supports-request = 2
capability = device-id

[format]
formats = BGRx
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt709
transfer-function = gamma22

[format]
formats = BGRA
modifiers = LINEAR, 0x0100000000000001
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
color-primaries = bt709
transfer-function = gamma22

[format]
formats = BGRx
modifiers = none
data-type = memfd
color-primaries = bt709
transfer-function = gamma22

[format]
formats = BGRA
modifiers = none
data-type = memfd
color-primaries = bt709
transfer-function = gamma22
