# xdg-desktop-portal-wlr on a wlroots compositor without a GPU (pixman renderer).
# Stock xdpw 0.7 refuses to screencast there (Start answers 2); with the one-hunk patch that
# drops its DMA-BUF requirement it offers exactly this, as seen on sway 1.7 / Debian 12.
[producer]
description = xdg-desktop-portal-wlr 0.7 without a GPU (SHM patch): SHM only, 30 fps cap
modelled-on = xdpw 0.7.0 + SHM patch on sway 1.7 headless (pixman), Debian 12
node-name = xdpw-stream
size = 1280x720
framerate = 0/1
max-framerate = 30/1
fps = 30
buffers = 2..32
metas = header, damage, transform

[format]
formats = BGRx
modifiers = none
data-type = memfd
