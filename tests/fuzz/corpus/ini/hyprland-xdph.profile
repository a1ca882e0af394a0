# xdg-desktop-portal-hyprland 1.4 on Hyprland with a GPU, read from its source: repository
# hyprwm/xdg-desktop-portal-hyprland, 1.3.12 (commit c01c99f, the newest stored; Debian sid's
# 1.4.1 binary carries the same strings: "DMA-BUF fixation failed after {} attempts, falling
# back to SHM", screencopy:force_shm), files src/shared/ScreencopyShared.cpp (build_format,
# fixate_format, build_buffer), src/shared/ScreencopyShared.hpp (XDPH_PWR_BUFFERS 4, _MIN 2,
# XDPH_PWR_ALIGN 16), src/portals/Screencopy.cpp (buildFormatsFor, pwStreamParamChanged,
# MAX_DMABUF_RETRIES 2). What it announces:
# - the format is the output's own: wlr-screencopy's linux_dmabuf and buffer events name it, so a
#   10-bit output gets a 10-bit format (xRGB_210LE for XRGB2101010); this profile is an 8-bit
#   output's (XRGB8888 -> BGRx);
# - first the DMA-BUF EnumFormat, the format alone with the modifiers its GBM device can allocate,
#   MANDATORY|DONT_FIXATE; then the SHM one, Enum(format, format, format-without-alpha);
# - maxFramerate Range(rate, 1/1, rate): rate is the output's refresh capped by
#   screencopy:max_fps (default 120), so 60/1 on a 60 Hz output. After the Format it paces its
#   frames at the consumer's maxFramerate (num / denom), whatever it announced;
# - a Format that leaves the modifier open is fixated by xdph (gbm_bo_create_with_modifiers2
#   over the consumer's list, the fixed EnumFormat first, the others behind it); after two such
#   Formats the third makes it give DMA-BUF up and announce SHM alone;
# - Buffers 4 (2..32), one block, the SHM stride and size (even for DMA-BUF), align 16; metas
#   Header, VideoTransform, VideoDamage (1..4 regions).
# Hyprland does not run without a DRM device (hyprland_runs_headless_or_its_failure_is_kept.sh),
# and xdph makes no stream from a compositor without DMA-BUF screencopy
# (xdph_without_dmabuf_screencopy_starts_a_stream_of_node_0.sh): there is no GPU-less xdph to
# model, and this profile has not been held to a real one here.
[producer]
description = xdg-desktop-portal-hyprland 1.4 on Hyprland with a GPU: DMA-BUF first, SHM after; gives DMA-BUF up after two open Formats
modelled-on = xdg-desktop-portal-hyprland source (ScreencopyShared.cpp, Screencopy.cpp), 1280x720@60 8-bit output
node-name = xdg-desktop-portal-hyprland
size = 1280x720
framerate = 0/1
max-framerate = 60/1
max-framerate-min = 1/1
fps = 60
fixation = producer
fixation-retries = 2
buffers = 2..32
metas = header, transform, damage

[format]
formats = BGRx
# LINEAR and the NVIDIA block-linear ones EGL lists on this project's GPU machine (H100/H200)
modifiers = LINEAR, 0x0300000000606010, 0x0300000000606015
modifier-flags = mandatory, dont-fixate
data-type = dmabuf

[format]
formats = BGRx, BGRx
modifiers = none
data-type = memfd
