/* What this machine's GPU can do for a screencast: import DMA-BUFs (EGL) and convert and
 * upload frames (CUDA). Both are loaded at run time; a machine without them still runs pwzc. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "error.h"

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

/* ---- CUDA (driver API, libcuda.so.1 loaded at run time) ---- */

struct cuda;

/* Loads libcuda, picks device 0 and makes a context. -ENOENT without a driver, -ENODEV without
 * a device; err says which (exit 16: the GPU path cannot run here). */
int cuda_open(struct cuda **cuda, struct pwzc_error *err);
void cuda_close(struct cuda *cuda);
const char *cuda_device_name(const struct cuda *cuda);
/* The context, for NVENC's CUDA input (a CUcontext). */
void *cuda_context(const struct cuda *cuda);

/* An NV12 image in device memory. */
struct cuda_nv12 {
    uint64_t ptr; /* CUdeviceptr: Y plane, then UV plane at ptr + pitch * height */
    size_t pitch;
    uint32_t width, height;
};

int cuda_nv12_alloc(struct cuda *cuda, struct cuda_nv12 *img, uint32_t width, uint32_t height);
void cuda_nv12_free(struct cuda *cuda, struct cuda_nv12 *img);

/* The SHM -> CUDA path: host RGB pixels (in a mapping that stays put: the pages are registered
 * once and reused) copied to the GPU asynchronously and converted to NV12 there. `pinned` says
 * whether the pages could be registered (else a pinned staging copy was made). */
int cuda_upload_convert(struct cuda *cuda, const uint8_t *src, uint32_t stride, uint32_t spa_format,
                        struct cuda_nv12 *dst, bool *pinned);
/* The two halves of cuda_upload_convert, for timing each: the copy up, then the kernel. */
int cuda_upload(struct cuda *cuda, const uint8_t *src, uint32_t stride, uint32_t width,
                uint32_t height, bool *pinned);
int cuda_convert(struct cuda *cuda, uint32_t spa_format, struct cuda_nv12 *dst);
/* Waits for the queued work; the time it took on the GPU when asked. */
int cuda_sync(struct cuda *cuda);
/* Copies an NV12 image from host memory to the GPU (a CPU conversion feeding NVENC). */
struct yuv_image;
int cuda_upload_nv12(struct cuda *cuda, const struct yuv_image *img, struct cuda_nv12 *dst);
/* Copies NV12 back to host memory (tests, and a software encoder after a GPU conversion). */
int cuda_download_nv12(struct cuda *cuda, const struct cuda_nv12 *src, uint8_t *y, uint8_t *uv);
/* Forgets the registered host pages that overlap [base, base + size): their mapping is about to
 * go, and pages registered there must not stand for the next mapping at that address. */
void cuda_unregister(struct cuda *cuda, const void *base, size_t size);

/* ---- zero-copy: DMA-BUF -> EGLImage -> CUDA ---- */

struct gpu_import;

/* An EGL display on the device CUDA runs on (matched by EGL_CUDA_DEVICE_NV), able to import
 * DMA-BUFs with modifiers. -ENOTSUP, err saying why, where it cannot. */
int gpu_import_open(struct gpu_import **imp, struct cuda *cuda, struct pwzc_error *err);
void gpu_import_close(struct gpu_import *imp);

/* One DMA-BUF plane, as the negotiated Format and the buffer's chunk describe it. */
struct dmabuf_plane {
    int fd;
    uint64_t offset;
    uint32_t stride;
    uint64_t modifier;
    uint32_t spa_format;
    uint32_t width, height;
};

/* What a client checks before it uses a DMA-BUF: can EGL import this plane with its modifier?
 * 0 (and *external_only: only as GL_TEXTURE_EXTERNAL_OES), -ENODEV when there is no GPU to try
 * on ("unavailable here"), -EIO when the driver refuses; err says which. No CUDA involved. */
int gpu_import_test(const struct dmabuf_plane *plane, bool *external_only, struct pwzc_error *err);

/* Imports the plane (cached per fd: PipeWire reuses its buffers), maps it into CUDA and converts
 * it to NV12 in dst, with no copy through the CPU. err says what failed. */
int gpu_import_convert(struct gpu_import *imp, const struct dmabuf_plane *plane,
                       struct cuda_nv12 *dst, struct pwzc_error *err);
/* Forgets the images imported from fd: it is about to be closed, and its number may come back
 * for another buffer. */
void gpu_import_forget(struct gpu_import *imp, int fd);

/* ---- NVML: GPU, encoder and memory use while bench runs ---- */

struct gpu_monitor;

/* -ENOENT without NVML, -ENODEV without a GPU; err says which. */
int gpu_monitor_open(struct gpu_monitor **m, struct pwzc_error *err);
void gpu_monitor_sample(struct gpu_monitor *m);
/* {"available": false, "reason": reason} when m is NULL. */
struct json_object *gpu_monitor_json(const struct gpu_monitor *m, const char *reason);
void gpu_monitor_close(struct gpu_monitor *m);
