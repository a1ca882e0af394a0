/* The params an emulated producer announces, built from its profile alone: the emulator sends
 * them, and the fuzz seed generator writes them out, so both are the same pods. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <spa/pod/builder.h>

#include "profile.h"

/* What of an EnumFormat the running producer varies: its size and maxFramerate (a
 * renegotiating producer changes them), the one format after a format change, and a modifier
 * it fixated itself (NULL: the profile's list). */
struct emu_enum_shape {
    uint32_t width, height, max_framerate_num;
    uint32_t format_override; /* 0: the profile's formats */
    const uint64_t *fixed;
    const uint64_t *device_id; /* a dev_t: the DMA-BUF pods carry it, MANDATORY (Mutter 51) */
};

const struct spa_pod *emu_pod_enum(struct spa_pod_builder *b, const struct profile *p,
                                   const struct profile_format *f,
                                   const struct emu_enum_shape *shape);

/* One Buffers param; with `sync`, as compositors with explicit sync send it: two more data
 * blocks for the acquire and release syncobjs, and SyncTimeline as a required meta. */
const struct spa_pod *emu_pod_buffers(struct spa_pod_builder *b, const struct profile *p,
                                      uint32_t data_type, uint32_t stride, uint32_t size,
                                      bool sync);

/* The Meta params (SyncTimeline with `sync`, then the profile's metas, and gamescope's own)
 * into params; returns how many (at most 8). */
uint32_t emu_pod_metas(struct spa_pod_builder *b, const struct profile *p, bool sync,
                       const struct spa_pod **params);
