/* Colour, device-ID and Capability names PipeWire added after 0.3, for a build against older
 * headers: pods are wire data, and a 0.3 build still talks to a newer daemon. The values are
 * PipeWire 1.6's ABI (enums that only ever grew). */
#pragma once

#include <pipewire/version.h>
#include <spa/param/param.h>
#include <spa/param/video/color.h>

#include "error.h"

/* spa_video_color_primaries BT2020 and spa_video_transfer_function SMPTE2084 (PQ): 1.6. */
#define PWZC_PRIMARIES_BT2020 7u
#define PWZC_TRANSFER_PQ      14u

enum colour_kind { COLOUR_PRIMARIES, COLOUR_TRANSFER, COLOUR_MATRIX, COLOUR_RANGE };
/* A profile's colour name ("bt2020", "pq", "16-235") as its SPA Id; -EINVAL with the names it
 * could have been in err. */
int colour_parse(enum colour_kind kind, const char *v, uint32_t *id, struct pwzc_error *err);

#if PW_CHECK_VERSION(1, 5, 84)
#define PWZC_PARAM_Capability      SPA_PARAM_Capability
#define PWZC_PARAM_PeerCapability  SPA_PARAM_PeerCapability
#define PWZC_FORMAT_VIDEO_deviceId SPA_FORMAT_VIDEO_deviceId
#else
#define PWZC_PARAM_Capability      19u /* 1.5.84's values */
#define PWZC_PARAM_PeerCapability  20u
#define PWZC_FORMAT_VIDEO_deviceId 0x20016u /* a dev_t as Bytes */
#endif
/* PW_CAPABILITY_DEVICE_ID_NEGOTIATION and _DEVICE_IDS (pipewire/capabilities.h, 1.5.84). */
#define PWZC_CAPABILITY_DEVICE_ID_NEGOTIATION "pipewire.device-id-negotiation"
#define PWZC_CAPABILITY_DEVICE_IDS            "pipewire.device-ids"
/* The daemon from which a Capability param means anything to a peer. */
#define PWZC_CAPABILITY_SINCE "1.5.84"

/* gamescope's own keys (src/pipewire_gamescope.hpp): Format properties and a Meta type. */
#define PWZC_GAMESCOPE_FORMAT_requested_size     0x70000u
#define PWZC_GAMESCOPE_FORMAT_focus_appid        0x70001u
#define PWZC_GAMESCOPE_META_requested_size_scale 0x70000u

/* SPA_DATA_FLAG_MAPPABLE (1.1): plain mmap works on it (xdg-desktop-portal-cosmic sets it). */
#define PWZC_DATA_FLAG_MAPPABLE (1u << 3)
