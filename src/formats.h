/* Video formats, DRM fourccs and DRM modifiers: names in, names out. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct video_format {
    uint32_t spa;             /* enum spa_video_format */
    const char *name;         /* PipeWire's short name: "BGRx" */
    uint32_t drm_fourcc;      /* the same memory layout as DRM names it */
    uint32_t bytes_per_pixel; /* of the first plane: 1 for NV12's luma */
    bool nv12;                /* a half-height chroma plane follows the luma, same stride */
};

/* NULL when the format is not one a screencast carries (planar YUV other than NV12, ...). */
const struct video_format *format_by_spa(uint32_t spa);
const struct video_format *format_by_name(const char *name);
const struct video_format *format_by_drm(uint32_t drm_fourcc);

/* "BGRx", or the SPA id in decimal for formats outside the table. */
const char *format_name(uint32_t spa, char *buf, size_t size);

/* The bytes of a picture of that size, every plane, and the stride of its first plane (rows
 * rounded up to 4 bytes, as producers allocate them). */
uint64_t format_image_size(const struct video_format *vf, uint32_t width, uint32_t height,
                           uint32_t *stride);

/* LINEAR, INVALID, INTEL_X_TILED, NVIDIA_BLOCK_LINEAR_2D(HEIGHT=0,KIND=6,...), via libdrm. */
void modifier_name(uint64_t modifier, char *buf, size_t size);

/* Accepts LINEAR, INVALID (implicit), and numbers (0x0300000000606010). */
int modifier_parse(const char *text, uint64_t *modifier);

/* Buffer data types as names: "MemPtr", "MemFd", "DmaBuf". */
const char *data_type_name(uint32_t type);
/* "memfd,dmabuf" → (1<<MemFd)|(1<<DmaBuf). */
int data_types_parse(const char *text, uint32_t *mask);
/* (1<<MemFd)|(1<<DmaBuf) → "MemFd|DmaBuf". */
void data_types_string(uint32_t mask, char *buf, size_t size);
