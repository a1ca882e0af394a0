/* What this machine's GPU can import: DMA-BUF formats and modifiers through EGL. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#define GPU_MAX_FORMATS   16
#define GPU_MAX_MODIFIERS 64

struct gpu_format {
    uint32_t drm_fourcc;
    uint64_t modifiers[GPU_MAX_MODIFIERS];
    bool external_only[GPU_MAX_MODIFIERS]; /* importable only as GL_TEXTURE_EXTERNAL_OES */
    uint32_t n_modifiers;
};

struct gpu_info {
    bool available;   /* an EGL device that imports DMA-BUFs with modifiers */
    char reason[256]; /* why not, when not */
    char vendor[64];  /* EGL_VENDOR */
    char egl_version[64];
    char device[128];          /* DRM node, or "EGL device N" where there is none */
    uint32_t n_devices;        /* EGL devices seen */
    uint32_t n_dmabuf_formats; /* everything eglQueryDmaBufFormatsEXT listed */
    struct gpu_format formats[GPU_MAX_FORMATS]; /* the screencast formats among them */
    uint32_t n_formats;
};

/* Never fails: a machine without EGL or a GPU gets available = false and a reason. */
void gpu_query(struct gpu_info *info);
const struct gpu_format *gpu_find_format(const struct gpu_info *info, uint32_t drm_fourcc);
struct json_object *gpu_to_json(const struct gpu_info *info);
