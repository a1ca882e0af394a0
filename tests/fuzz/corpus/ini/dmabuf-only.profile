# A compositor with a GPU that offers nothing but DMA-BUF: niri, or xdg-desktop-portal-wlr on a
# wlroots compositor with a GPU. The modifier property is MANDATORY, and there is no SHM
# EnumFormat: a consumer without a modifier property shares no format with it.
[producer]
description = niri / wlroots with a GPU: DMA-BUF only, modifier MANDATORY, no SHM format
modelled-on = xdpw 0.7 and niri screencast EnumFormats with a GPU
node-name = xdpw-stream
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
buffers = 2..8
metas = header, damage

[format]
formats = BGRx, BGRA
modifiers = LINEAR, 0x0300000000606010, 0x0300000000606015
modifier-flags = mandatory, dont-fixate
data-type = dmabuf
