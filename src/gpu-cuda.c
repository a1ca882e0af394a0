/* The CUDA driver API, loaded at run time through ffnvcodec's loader (no toolkit needed): a
 * context, the RGB -> NV12 kernel from embedded PTX, and the SHM -> CUDA upload. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "gpu.h"

#ifdef HAVE_FFNVCODEC
#include <spa/param/video/raw.h>

#include "cuda/convert-ptx.h"
#include "gpu-cuda-private.h"

const char *cu_error(const struct cuda *c, CUresult res)
{
    const char *name = NULL;

    if (c->cu && c->cu->cuGetErrorName)
        c->cu->cuGetErrorName(res, &name);
    return name ? name : "CUDA error";
}

static void load_extras(struct cuda *c)
{
    c->host_register = (tcuMemHostRegister *)dlsym(c->cu->lib, "cuMemHostRegister_v2");
    c->host_unregister = (tcuMemHostUnregister *)dlsym(c->cu->lib, "cuMemHostUnregister");
    c->alloc_host = (tcuMemAllocHost *)dlsym(c->cu->lib, "cuMemAllocHost_v2");
    c->free_host = (tcuMemFreeHost *)dlsym(c->cu->lib, "cuMemFreeHost");
}

static int make_context(struct cuda *c, struct pwzc_error *err)
{
    CudaFunctions *cu = c->cu;
    CUresult res;
    int count = 0;

    if ((res = cu->cuInit(0)) != CUDA_SUCCESS) {
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV,
                         "cuInit failed: %s (no NVIDIA GPU, or the driver is not loaded)",
                         cu_error(c, res));
    }
    if (cu->cuDeviceGetCount(&count) != CUDA_SUCCESS || count == 0)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV,
                         "the NVIDIA driver sees no CUDA device");
    cu->cuDeviceGet(&c->device, 0);
    cu->cuDeviceGetName(c->name, sizeof(c->name), c->device);
    if ((res = cu->cuCtxCreate(&c->ctx, CU_CTX_SCHED_BLOCKING_SYNC, c->device)) != CUDA_SUCCESS ||
        (res = cu->cuStreamCreate(&c->stream, CU_STREAM_NON_BLOCKING)) != CUDA_SUCCESS)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO, "cannot make a CUDA context on %s: %s",
                         c->name, cu_error(c, res));
    return 0;
}

static int load_kernel(struct cuda *c, struct pwzc_error *err)
{
    CUresult res = c->cu->cuModuleLoadData(&c->module, convert_ptx);

    if (res == CUDA_SUCCESS)
        res = c->cu->cuModuleGetFunction(&c->to_nv12, c->module, "rgb_to_nv12");
    if (res != CUDA_SUCCESS)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO,
                         "the driver could not load the conversion kernel (PTX): %s",
                         cu_error(c, res));
    return 0;
}

int cuda_open(struct cuda **cuda, struct pwzc_error *err)
{
    struct cuda *c = calloc(1, sizeof(*c));
    int res;

    *cuda = NULL;
    if (!c)
        return -ENOMEM;
    if (cuda_load_functions(&c->cu, NULL) < 0) {
        free(c);
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOENT,
                         "no libcuda.so.1: the NVIDIA driver is not installed");
    }
    load_extras(c);
    if ((res = make_context(c, err)) < 0 || (res = load_kernel(c, err)) < 0) {
        cuda_close(c);
        return res;
    }
    *cuda = c;
    return 0;
}

void cuda_close(struct cuda *c)
{
    if (!c)
        return;
    if (c->ctx) {
        c->cu->cuCtxPushCurrent(c->ctx);
        for (int i = 0; i < MAX_REGISTERED; i++)
            if (c->regs[i].base && c->regs[i].pinned && c->host_unregister)
                c->host_unregister(c->regs[i].base);
        if (c->staging && c->free_host)
            c->free_host(c->staging);
        if (c->rgb)
            c->cu->cuMemFree(c->rgb);
        if (c->module)
            c->cu->cuModuleUnload(c->module);
        if (c->stream)
            c->cu->cuStreamDestroy(c->stream);
        c->cu->cuCtxPopCurrent(NULL);
        c->cu->cuCtxDestroy(c->ctx);
    }
    cuda_free_functions(&c->cu);
    free(c);
}

const char *cuda_device_name(const struct cuda *c)
{
    return c->name;
}

void *cuda_context(const struct cuda *c)
{
    return c->ctx;
}

int cuda_nv12_alloc(struct cuda *c, struct cuda_nv12 *img, uint32_t width, uint32_t height)
{
    CUdeviceptr ptr;
    size_t pitch;
    CUresult res;

    /* One allocation: Y rows, then (height + 1) / 2 interleaved UV rows, as NVENC expects. */
    c->cu->cuCtxPushCurrent(c->ctx);
    res = c->cu->cuMemAllocPitch(&ptr, &pitch, width + (width & 1), height + (height + 1) / 2, 16);
    c->cu->cuCtxPopCurrent(NULL);
    if (res != CUDA_SUCCESS)
        return -ENOMEM;
    *img = (struct cuda_nv12){.ptr = ptr, .pitch = pitch, .width = width, .height = height};
    return 0;
}

void cuda_nv12_free(struct cuda *c, struct cuda_nv12 *img)
{
    if (!img->ptr)
        return;
    c->cu->cuCtxPushCurrent(c->ctx);
    c->cu->cuMemFree(img->ptr);
    c->cu->cuCtxPopCurrent(NULL);
    img->ptr = 0;
}

/* Pins the pages under [src, src + size) once; later frames in the same buffer reuse them. */
static struct registration *registration_for(struct cuda *c, const uint8_t *src, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)src & ~(page - 1);
    size_t len = ((uintptr_t)src + size - start + page - 1) & ~(page - 1);
    struct registration *free_slot = NULL;

    for (int i = 0; i < MAX_REGISTERED; i++) {
        struct registration *r = &c->regs[i];
        if (r->base && (uintptr_t)r->base <= start && start + len <= (uintptr_t)r->base + r->size)
            return r;
        if (!r->base && !free_slot)
            free_slot = r;
    }
    if (!free_slot)
        free_slot = &c->regs[0]; /* more buffers than slots: the first is forgotten */
    if (free_slot->base && free_slot->pinned && c->host_unregister)
        c->host_unregister(free_slot->base);
    free_slot->base = (void *)start;
    free_slot->size = len;
    /* READ_ONLY: the producer's memory is mapped read-only here, as it should be. */
    free_slot->pinned =
        c->host_register &&
        c->host_register(free_slot->base, len, CU_MEMHOSTREGISTER_READ_ONLY) == CUDA_SUCCESS;
    return free_slot;
}

void cuda_unregister(struct cuda *c, const void *base, size_t size)
{
    uintptr_t start = (uintptr_t)base, end = start + (size ? size : 1);

    c->cu->cuCtxPushCurrent(c->ctx);
    for (int i = 0; i < MAX_REGISTERED; i++) {
        struct registration *r = &c->regs[i];
        if (r->base && start < (uintptr_t)r->base + r->size && (uintptr_t)r->base < end) {
            if (r->pinned && c->host_unregister)
                c->host_unregister(r->base);
            memset(r, 0, sizeof(*r));
        }
    }
    c->cu->cuCtxPopCurrent(NULL);
}

int cuda_ensure_buffers(struct cuda *c, uint32_t width, uint32_t height, size_t frame_bytes)
{
    if (c->rgb_width != width || c->rgb_height != height) {
        if (c->rgb)
            c->cu->cuMemFree(c->rgb);
        c->rgb = 0;
        if (c->cu->cuMemAllocPitch(&c->rgb, &c->rgb_pitch, (size_t)width * 4, height, 16) !=
            CUDA_SUCCESS)
            return -ENOMEM;
        c->rgb_width = width;
        c->rgb_height = height;
    }
    if (c->staging_size < frame_bytes && c->alloc_host) {
        if (c->staging)
            c->free_host(c->staging);
        c->staging = NULL;
        c->staging_size = 0;
        if (c->alloc_host(&c->staging, frame_bytes) != CUDA_SUCCESS)
            return -ENOMEM;
        c->staging_size = frame_bytes;
    }
    return 0;
}

static void shifts_for(uint32_t spa_format, unsigned int *r, unsigned int *g, unsigned int *b)
{
    /* Little-endian words: byte offset k of a pixel is bits 8k..8k+7. */
    switch (spa_format) {
    case SPA_VIDEO_FORMAT_RGBx:
    case SPA_VIDEO_FORMAT_RGBA:
        *r = 0, *g = 8, *b = 16;
        break;
    case SPA_VIDEO_FORMAT_xRGB:
    case SPA_VIDEO_FORMAT_ARGB:
        *r = 8, *g = 16, *b = 24;
        break;
    case SPA_VIDEO_FORMAT_xBGR:
    case SPA_VIDEO_FORMAT_ABGR:
        *r = 24, *g = 16, *b = 8;
        break;
    default: /* BGRx, BGRA */
        *r = 16, *g = 8, *b = 0;
    }
}

CUresult cuda_copy_to_rgb(struct cuda *c, CUDA_MEMCPY2D *copy, uint32_t width, uint32_t height)
{
    copy->dstMemoryType = CU_MEMORYTYPE_DEVICE;
    copy->dstDevice = c->rgb;
    copy->dstPitch = c->rgb_pitch;
    copy->WidthInBytes = (size_t)width * 4;
    copy->Height = height;
    return c->cu->cuMemcpy2DAsync(copy, c->stream);
}

static CUresult copy_up(struct cuda *c, const uint8_t *src, uint32_t stride, uint32_t width,
                        uint32_t height)
{
    CUDA_MEMCPY2D copy = {.srcMemoryType = CU_MEMORYTYPE_HOST, .srcHost = src, .srcPitch = stride};

    return cuda_copy_to_rgb(c, &copy, width, height);
}

CUresult cuda_launch_convert(struct cuda *c, CUdeviceptr src, size_t src_pitch_bytes,
                             uint32_t spa_format, struct cuda_nv12 *dst)
{
    unsigned int src_pitch = (unsigned int)src_pitch_bytes, pitch = (unsigned int)dst->pitch;
    unsigned int width = dst->width, height = dst->height, rs, gs, bs;
    CUdeviceptr y = dst->ptr, uv = dst->ptr + dst->pitch * dst->height;
    void *args[] = {&src, &src_pitch, &y, &pitch, &uv, &pitch, &width, &height, &rs, &gs, &bs};

    shifts_for(spa_format, &rs, &gs, &bs);
    return c->cu->cuLaunchKernel(c->to_nv12, ((width + 1) / 2 + 15) / 16,
                                 ((height + 1) / 2 + 15) / 16, 1, 16, 16, 1, 0, c->stream, args,
                                 NULL);
}

int cuda_upload(struct cuda *c, const uint8_t *src, uint32_t stride, uint32_t width,
                uint32_t height, bool *pinned)
{
    size_t bytes = (size_t)stride * (height - 1) + (size_t)width * 4;
    struct registration *reg;
    int err = 0;

    c->cu->cuCtxPushCurrent(c->ctx);
    if ((err = cuda_ensure_buffers(c, width, height, bytes)) < 0)
        goto out;
    reg = registration_for(c, src, bytes);
    *pinned = reg->pinned;
    if (!reg->pinned) {
        /* Pageable memory cannot be copied asynchronously: stage it through pinned memory. */
        memcpy(c->staging, src, bytes);
        src = c->staging;
    }
    if (copy_up(c, src, stride, width, height) != CUDA_SUCCESS)
        err = -EIO;
out:
    c->cu->cuCtxPopCurrent(NULL);
    return err;
}

int cuda_convert(struct cuda *c, uint32_t spa_format, struct cuda_nv12 *dst)
{
    CUresult res;

    c->cu->cuCtxPushCurrent(c->ctx);
    res = cuda_launch_convert(c, c->rgb, c->rgb_pitch, spa_format, dst);
    c->cu->cuCtxPopCurrent(NULL);
    return res == CUDA_SUCCESS ? 0 : -EIO;
}

int cuda_upload_convert(struct cuda *c, const uint8_t *src, uint32_t stride, uint32_t spa_format,
                        struct cuda_nv12 *dst, bool *pinned)
{
    int res = cuda_upload(c, src, stride, dst->width, dst->height, pinned);

    return res < 0 ? res : cuda_convert(c, spa_format, dst);
}

int cuda_sync(struct cuda *c)
{
    CUresult res;

    c->cu->cuCtxPushCurrent(c->ctx);
    res = c->cu->cuStreamSynchronize(c->stream);
    c->cu->cuCtxPopCurrent(NULL);
    return res == CUDA_SUCCESS ? 0 : -EIO;
}

int cuda_upload_nv12(struct cuda *c, const struct yuv_image *img, struct cuda_nv12 *dst)
{
    CUDA_MEMCPY2D copy = {
        .srcMemoryType = CU_MEMORYTYPE_HOST,
        .srcHost = img->y,
        .srcPitch = img->y_stride,
        .dstMemoryType = CU_MEMORYTYPE_DEVICE,
        .dstDevice = dst->ptr,
        .dstPitch = dst->pitch,
        .WidthInBytes = img->width,
        .Height = img->height,
    };
    CUresult res;

    c->cu->cuCtxPushCurrent(c->ctx);
    res = c->cu->cuMemcpy2D(&copy);
    if (res == CUDA_SUCCESS) {
        copy.srcHost = img->u;
        copy.srcPitch = img->uv_stride;
        copy.dstDevice = dst->ptr + dst->pitch * dst->height;
        copy.WidthInBytes = (img->width + 1) / 2 * 2;
        copy.Height = (img->height + 1) / 2;
        res = c->cu->cuMemcpy2D(&copy);
    }
    c->cu->cuCtxPopCurrent(NULL);
    return res == CUDA_SUCCESS ? 0 : -EIO;
}

int cuda_download_nv12(struct cuda *c, const struct cuda_nv12 *src, uint8_t *y, uint8_t *uv)
{
    CUDA_MEMCPY2D copy = {
        .srcMemoryType = CU_MEMORYTYPE_DEVICE,
        .srcDevice = src->ptr,
        .srcPitch = src->pitch,
        .dstMemoryType = CU_MEMORYTYPE_HOST,
        .dstHost = y,
        .dstPitch = src->width,
        .WidthInBytes = src->width,
        .Height = src->height,
    };
    CUresult res;

    c->cu->cuCtxPushCurrent(c->ctx);
    res = c->cu->cuMemcpy2D(&copy);
    if (res == CUDA_SUCCESS) {
        copy.srcDevice = src->ptr + src->pitch * src->height;
        copy.dstHost = uv;
        copy.dstPitch = copy.WidthInBytes = (src->width + 1) / 2 * 2;
        copy.Height = (src->height + 1) / 2;
        res = c->cu->cuMemcpy2D(&copy);
    }
    c->cu->cuCtxPopCurrent(NULL);
    return res == CUDA_SUCCESS ? 0 : -EIO;
}
#else
int cuda_open(struct cuda **cuda, struct pwzc_error *err)
{
    *cuda = NULL;
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                     "pwzc was built without the CUDA loader headers (libffmpeg-nvenc-dev)");
}

void cuda_close(struct cuda *cuda) {}

const char *cuda_device_name(const struct cuda *cuda)
{
    return "none";
}

void *cuda_context(const struct cuda *cuda)
{
    return NULL;
}

int cuda_nv12_alloc(struct cuda *cuda, struct cuda_nv12 *img, uint32_t width, uint32_t height)
{
    return -ENOTSUP;
}

void cuda_nv12_free(struct cuda *cuda, struct cuda_nv12 *img) {}

int cuda_upload_convert(struct cuda *cuda, const uint8_t *src, uint32_t stride, uint32_t spa_format,
                        struct cuda_nv12 *dst, bool *pinned)
{
    return -ENOTSUP;
}

int cuda_sync(struct cuda *cuda)
{
    return -ENOTSUP;
}

int cuda_download_nv12(struct cuda *cuda, const struct cuda_nv12 *src, uint8_t *y, uint8_t *uv)
{
    return -ENOTSUP;
}

int cuda_upload_nv12(struct cuda *cuda, const struct yuv_image *img, struct cuda_nv12 *dst)
{
    return -ENOTSUP;
}

void cuda_unregister(struct cuda *cuda, const void *base, size_t size) {}

int cuda_upload(struct cuda *cuda, const uint8_t *src, uint32_t stride, uint32_t width,
                uint32_t height, bool *pinned)
{
    return -ENOTSUP;
}

int cuda_convert(struct cuda *cuda, uint32_t spa_format, struct cuda_nv12 *dst)
{
    return -ENOTSUP;
}
#endif
