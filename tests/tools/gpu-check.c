/* gpu-check: runs pwzc's GPU paths on this machine's NVIDIA GPU without PipeWire, and prints
 * what it found as JSON: the EGL modifiers, whether the SHM -> CUDA NV12 equals the CPU's
 * (byte for byte, every format, odd sizes too), per-frame times at 1080p and 4K, what NVENC
 * says and what --encoder auto falls back to, and the zero-copy import of a real DMA-BUF made
 * by CUDA (cuMemGetHandleForAddressRange) or why none could be made. Exit 0 when every check
 * that could run passed. Used on the GPU machine (see tests/README.gpu). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>
#include <spa/param/video/raw.h>

#include "convert.h"
#include "encode.h"
#include "gpu-cuda-private.h"
#include "gpu.h"
#include "pattern.h"
#include "pwzc.h"

#define CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED 124
#define CU_MEM_RANGE_HANDLE_TYPE_DMA_BUF_FD   1
typedef CUresult CUDAAPI tcuMemGetHandleForAddressRange(void *handle, CUdeviceptr dptr, size_t size,
                                                        int type, unsigned long long flags);

static bool all_ok = true;

/* A frame in a memfd mapped read-only, as a consumer maps a producer's MemFd; at `at` when not
 * NULL (replacing what was mapped there, as a new buffer of PipeWire's can land). */
static uint8_t *make_frame_at(uint32_t w, uint32_t h, uint32_t stride, uint32_t seq, void *at)
{
    int fd = memfd_create("gpu-check", MFD_CLOEXEC);
    size_t size = (size_t)stride * h;
    uint8_t *rw, *ro;
    struct pattern_stamp st = {.seq = seq, .pts_ns = 1};

    if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
        return NULL;
    rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ro = mmap(at, size, PROT_READ, MAP_SHARED | (at ? MAP_FIXED : 0), fd, 0);
    close(fd);
    if (rw == MAP_FAILED || ro == MAP_FAILED)
        return NULL;
    pattern_draw(rw, w & ~1u, h, stride, &st, true);
    /* Noise in every byte, so that any difference in arithmetic shows. */
    for (size_t i = 64; i < size; i += 7)
        rw[i] = (uint8_t)(i * 2654435761u >> 24);
    munmap(rw, size);
    return ro;
}

static uint8_t *make_frame(uint32_t w, uint32_t h, uint32_t stride, uint32_t seq)
{
    return make_frame_at(w, h, stride, seq, NULL);
}

static size_t diff_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t d = 0;

    for (size_t i = 0; i < n; i++)
        d += a[i] != b[i];
    return d;
}

static struct json_object *compare_one(struct cuda *cuda, uint32_t w, uint32_t h, uint32_t format)
{
    struct json_object *obj = json_object_new_object();
    uint32_t stride = (w * 4 + 63) & ~63u;
    uint8_t *src = make_frame(w, h, stride, 7);
    struct yuv_image cpu;
    struct cuda_nv12 gpu = {0};
    size_t ysize = (size_t)w * h, uvsize = (size_t)(w + 1) / 2 * ((h + 1) / 2) * 2;
    uint8_t *y = malloc(ysize), *uv = malloc(uvsize);
    bool pinned = false;
    size_t dy = 0, duv = 0;
    int res;

    yuv_image_alloc(&cpu, w, h, true);
    convert_rgb_to_yuv(src, stride, format, &cpu);
    res = cuda_nv12_alloc(cuda, &gpu, w, h);
    if (res == 0)
        res = cuda_upload_convert(cuda, src, stride, format, &gpu, &pinned);
    if (res == 0)
        res = cuda_sync(cuda);
    if (res == 0)
        res = cuda_download_nv12(cuda, &gpu, y, uv);
    if (res == 0) {
        dy = diff_bytes(y, cpu.y, ysize);
        duv = diff_bytes(uv, cpu.u, uvsize);
    }
    json_object_object_add(obj, "width", json_object_new_int((int)w));
    json_object_object_add(obj, "height", json_object_new_int((int)h));
    json_object_object_add(obj, "format", json_object_new_int((int)format));
    json_object_object_add(obj, "ok", json_object_new_boolean(res == 0));
    json_object_object_add(obj, "pinned", json_object_new_boolean(pinned));
    json_object_object_add(obj, "y_bytes_differing", json_object_new_int64((int64_t)dy));
    json_object_object_add(obj, "uv_bytes_differing", json_object_new_int64((int64_t)duv));
    if (res < 0 || dy || duv)
        all_ok = false;
    cuda_unregister(cuda, src, (size_t)stride * h);
    munmap(src, (size_t)stride * h);
    cuda_nv12_free(cuda, &gpu);
    yuv_image_free(&cpu);
    free(y);
    free(uv);
    return obj;
}

static struct json_object *compare_all(struct cuda *cuda)
{
    static const uint32_t formats[] = {SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRA,
                                       SPA_VIDEO_FORMAT_RGBx, SPA_VIDEO_FORMAT_RGBA,
                                       SPA_VIDEO_FORMAT_xRGB, SPA_VIDEO_FORMAT_xBGR};
    static const uint32_t sizes[][2] = {{1920, 1080}, {1279, 719}, {64, 2}};
    struct json_object *arr = json_object_new_array();

    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
            json_object_array_add(arr, compare_one(cuda, sizes[s][0], sizes[s][1], formats[f]));
    return arr;
}

/* The SHM -> CUDA path's cost per frame, pinned and (forced) staged, and the CPU's. */
static struct json_object *time_path(struct cuda *cuda, uint32_t w, uint32_t h)
{
    struct json_object *obj = json_object_new_object();
    uint32_t stride = w * 4;
    uint8_t *src = make_frame(w, h, stride, 1);
    struct cuda_nv12 gpu = {0};
    struct yuv_image cpu;
    bool pinned = false;
    uint64_t t0, t1;
    int frames = 200;

    cuda_nv12_alloc(cuda, &gpu, w, h);
    cuda_upload_convert(cuda, src, stride, SPA_VIDEO_FORMAT_BGRx, &gpu, &pinned);
    cuda_sync(cuda);
    t0 = pwzc_now_ns();
    for (int i = 0; i < frames; i++) {
        cuda_upload_convert(cuda, src, stride, SPA_VIDEO_FORMAT_BGRx, &gpu, &pinned);
        cuda_sync(cuda);
    }
    t1 = pwzc_now_ns();
    json_object_object_add(obj, "shm_cuda_ms_per_frame",
                           json_object_new_double((double)(t1 - t0) / frames / 1e6));
    json_object_object_add(obj, "pinned", json_object_new_boolean(pinned));
    /* The same without registered pages: what a driver that refuses cuMemHostRegister gets. */
    cuda_unregister(cuda, src, (size_t)stride * h);
    cuda->host_register = NULL;
    t0 = pwzc_now_ns();
    for (int i = 0; i < frames / 4; i++) {
        cuda_upload_convert(cuda, src, stride, SPA_VIDEO_FORMAT_BGRx, &gpu, &pinned);
        cuda_sync(cuda);
    }
    t1 = pwzc_now_ns();
    cuda->host_register = (tcuMemHostRegister *)dlsym(cuda->cu->lib, "cuMemHostRegister_v2");
    json_object_object_add(obj, "staged_ms_per_frame",
                           json_object_new_double((double)(t1 - t0) / (frames / 4) / 1e6));
    yuv_image_alloc(&cpu, w, h, true);
    t0 = pwzc_now_ns();
    for (int i = 0; i < 10; i++)
        convert_rgb_to_yuv(src, stride, SPA_VIDEO_FORMAT_BGRx, &cpu);
    t1 = pwzc_now_ns();
    json_object_object_add(obj, "cpu_nv12_ms_per_frame",
                           json_object_new_double((double)(t1 - t0) / 10 / 1e6));
    cuda_unregister(cuda, src, (size_t)stride * h);
    munmap(src, (size_t)stride * h);
    cuda_nv12_free(cuda, &gpu);
    yuv_image_free(&cpu);
    return obj;
}

/* Uploads and converts src, and counts the bytes its NV12 differs from the CPU's. */
static size_t upload_differs(struct cuda *cuda, const uint8_t *src, uint32_t w, uint32_t h,
                             uint32_t stride, struct cuda_nv12 *gpu)
{
    size_t ysize = (size_t)w * h, uvsize = (size_t)w / 2 * (h / 2) * 2, differing = SIZE_MAX;
    uint8_t *y = malloc(ysize), *uv = malloc(uvsize);
    struct yuv_image cpu;
    bool pinned;

    yuv_image_alloc(&cpu, w, h, true);
    convert_rgb_to_yuv(src, stride, SPA_VIDEO_FORMAT_BGRx, &cpu);
    if (y && uv &&
        cuda_upload_convert(cuda, src, stride, SPA_VIDEO_FORMAT_BGRx, gpu, &pinned) == 0 &&
        cuda_sync(cuda) == 0 && cuda_download_nv12(cuda, gpu, y, uv) == 0)
        differing = diff_bytes(y, cpu.y, ysize) + diff_bytes(uv, cpu.u, uvsize);
    yuv_image_free(&cpu);
    free(y);
    free(uv);
    return differing;
}

/* A renegotiation: PipeWire takes its buffers back and a new one is mapped at the same address.
 * Told that the old mapping goes (cuda_unregister, as capture is by the stream), the upload reads
 * the new pages; not told, it read the pages registered for the old one (stale frames). */
static struct json_object *check_new_mapping(struct cuda *cuda)
{
    struct json_object *obj = json_object_new_object();
    const uint32_t w = 640, h = 360, stride = w * 4;
    size_t size = (size_t)stride * h, told, untold;
    uint8_t *old = make_frame(w, h, stride, 1), *src;
    struct cuda_nv12 gpu = {0};

    if (!old || cuda_nv12_alloc(cuda, &gpu, w, h) < 0)
        return all_ok = false, obj;
    upload_differs(cuda, old, w, h, stride, &gpu);
    cuda_unregister(cuda, old, size);
    if (!(src = make_frame_at(w, h, stride, 2, old)))
        return all_ok = false, obj;
    told = upload_differs(cuda, src, w, h, stride, &gpu);
    /* The same without telling: kept as a figure, since what the driver then does is its own. */
    if (!(src = make_frame_at(w, h, stride, 3, old)))
        return all_ok = false, obj;
    untold = upload_differs(cuda, src, w, h, stride, &gpu);
    json_object_object_add(obj, "same_address", json_object_new_boolean(src == old));
    json_object_object_add(obj, "bytes_differing", json_object_new_int64((int64_t)told));
    json_object_object_add(obj, "bytes_differing_untold", json_object_new_int64((int64_t)untold));
    if (src != old || told != 0)
        all_ok = false;
    cuda_unregister(cuda, src, size);
    munmap(src, size);
    cuda_nv12_free(cuda, &gpu);
    return obj;
}

static int discard(void *data, const void *bytes, size_t size)
{
    return 0;
}

static struct json_object *check_encoders(struct cuda *cuda)
{
    struct json_object *obj = json_object_new_object();
    struct encoder_config c = {
        .width = 1280, .height = 720, .fps = 60, .bitrate = 8000000, .cuda = cuda};
    struct pwzc_error nvenc = {0}, any = {0};
    struct encoder e;
    int res;

    res = encoder_open(&e, ENCODER_NVENC, &c, discard, NULL, &nvenc);
    json_object_object_add(obj, "nvenc_ok", json_object_new_boolean(res == 0));
    json_object_object_add(obj, "nvenc",
                           json_object_new_string(res == 0 ? e.choice : nvenc.message));
    if (res == 0)
        encoder_close(&e);
    res = encoder_open(&e, ENCODER_AUTO, &c, discard, NULL, &any);
    json_object_object_add(obj, "auto_ok", json_object_new_boolean(res == 0));
    json_object_object_add(obj, "auto", json_object_new_string(res == 0 ? e.choice : any.message));
    json_object_object_add(obj, "auto_encoder",
                           json_object_new_string(res == 0 ? encoder_name(&e) : "none"));
    if (res == 0)
        encoder_close(&e);
    return obj;
}

/* A real DMA-BUF: CUDA device memory exported as a dma-buf fd, holding a frame. */
static int make_dmabuf(struct cuda *cuda, const uint8_t *frame, size_t bytes, CUdeviceptr *ptr,
                       char *why, size_t size)
{
    tcuMemGetHandleForAddressRange *get_handle =
        (tcuMemGetHandleForAddressRange *)dlsym(cuda->cu->lib, "cuMemGetHandleForAddressRange");
    size_t rounded = (bytes + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
    int supported = 0, fd = -1;
    CUresult res;

    cuda->cu->cuCtxPushCurrent(cuda->ctx);
    cuda->cu->cuDeviceGetAttribute(&supported, CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED, cuda->device);
    if (!get_handle)
        snprintf(why, size, "libcuda has no cuMemGetHandleForAddressRange");
    else if ((res = cuda->cu->cuMemAlloc(ptr, rounded)) != CUDA_SUCCESS)
        snprintf(why, size, "cuMemAlloc: %s", cu_error(cuda, res));
    else if ((res = cuda->cu->cuMemcpyHtoD(*ptr, frame, bytes)) != CUDA_SUCCESS)
        snprintf(why, size, "cuMemcpyHtoD: %s", cu_error(cuda, res));
    else if ((res = get_handle(&fd, *ptr, rounded, CU_MEM_RANGE_HANDLE_TYPE_DMA_BUF_FD, 0)) !=
             CUDA_SUCCESS)
        snprintf(why, size,
                 "cuMemGetHandleForAddressRange(DMA_BUF_FD): %s "
                 "(CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED = %d)",
                 cu_error(cuda, res), supported);
    else
        snprintf(why, size, "a %zu-byte DMA-BUF from cuMemGetHandleForAddressRange", rounded);
    cuda->cu->cuCtxPopCurrent(NULL);
    return fd;
}

static struct json_object *check_zero_copy(struct cuda *cuda)
{
    struct json_object *obj = json_object_new_object();
    uint32_t w = 3840, h = 2160, stride = w * 4;
    uint8_t *frame = make_frame(w, h, stride, 3);
    struct gpu_import *imp = NULL;
    struct cuda_nv12 gpu = {0};
    struct yuv_image cpu;
    CUdeviceptr ptr = 0;
    /* Each import gets its own error: the first one a struct is given is the one it keeps. */
    struct pwzc_error no_import = {0}, refused = {0}, implicit_refused = {0};
    char why[512], import_how[256];
    int fd = make_dmabuf(cuda, frame, (size_t)stride * h, &ptr, why, sizeof(why));

    json_object_object_add(obj, "dmabuf", json_object_new_string(why));
    if (gpu_import_open(&imp, cuda, &no_import) < 0 || fd < 0) {
        json_object_object_add(obj, "import", json_object_new_string(no_import.message));
        json_object_object_add(obj, "ran", json_object_new_boolean(false));
        goto out;
    }
    struct dmabuf_plane plane = {.fd = fd,
                                 .stride = stride,
                                 .modifier = 0,
                                 .spa_format = SPA_VIDEO_FORMAT_BGRx,
                                 .width = w,
                                 .height = h};
    size_t ysize = (size_t)w * h, uvsize = (size_t)w * h / 2;
    uint8_t *y = malloc(ysize), *uv = malloc(uvsize);
    uint64_t t0, t1;
    int res;

    cuda_nv12_alloc(cuda, &gpu, w, h);
    snprintf(import_how, sizeof(import_how), "DMA-BUF -> EGL -> CUDA on %s",
             cuda_device_name(cuda));
    res = gpu_import_convert(imp, &plane, &gpu, &refused);
    json_object_object_add(obj, "ran", json_object_new_boolean(true));
    json_object_object_add(obj, "import",
                           json_object_new_string(res == 0 ? import_how : refused.message));
    if (res < 0) {
        /* The same buffer as an implicit-modifier import: drivers differ in what they take. */
        plane.modifier = 0x00ffffffffffffffull;
        res = gpu_import_convert(imp, &plane, &gpu, &implicit_refused);
        json_object_object_add(
            obj, "import_implicit",
            json_object_new_string(res == 0 ? "imported" : implicit_refused.message));
    }
    if (res == 0 && cuda_sync(cuda) == 0 && cuda_download_nv12(cuda, &gpu, y, uv) == 0) {
        yuv_image_alloc(&cpu, w, h, true);
        convert_rgb_to_yuv(frame, stride, SPA_VIDEO_FORMAT_BGRx, &cpu);
        size_t differing = diff_bytes(y, cpu.y, ysize) + diff_bytes(uv, cpu.u, uvsize);
        json_object_object_add(obj, "bytes_differing", json_object_new_int64((int64_t)differing));
        if (differing)
            all_ok = false;
        yuv_image_free(&cpu);
        t0 = pwzc_now_ns();
        for (int i = 0; i < 200; i++) {
            struct pwzc_error timed = {0};
            gpu_import_convert(imp, &plane, &gpu, &timed);
            cuda_sync(cuda);
        }
        t1 = pwzc_now_ns();
        json_object_object_add(obj, "ms_per_frame_4k",
                               json_object_new_double((double)(t1 - t0) / 200 / 1e6));
    }
    /* An import the driver refuses (EGL_BAD_ALLOC where there is no nvidia-drm / DRM device) is
     * a fact about the machine, reported above; only a wrong conversion is a failure. */
    free(y);
    free(uv);
out:
    gpu_import_close(imp);
    cuda_nv12_free(cuda, &gpu);
    if (fd >= 0)
        close(fd);
    if (ptr) {
        cuda->cu->cuCtxPushCurrent(cuda->ctx);
        cuda->cu->cuMemFree(ptr);
        cuda->cu->cuCtxPopCurrent(NULL);
    }
    munmap(frame, (size_t)stride * h);
    return obj;
}

int main(void)
{
    struct json_object *out = json_object_new_object(), *timing;
    struct gpu_info gpu;
    struct pwzc_error no_cuda = {0};
    struct cuda *cuda;
    char on[160];

    gpu_query(&gpu);
    json_object_object_add(out, "egl", gpu_to_json(&gpu));
    if (cuda_open(&cuda, &no_cuda) < 0) {
        json_object_object_add(out, "cuda", json_object_new_string(no_cuda.message));
        printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
        json_object_put(out);
        return 77;
    }
    snprintf(on, sizeof(on), "CUDA on %s", cuda_device_name(cuda));
    json_object_object_add(out, "cuda", json_object_new_string(on));
    json_object_object_add(out, "shm_cuda_equals_cpu", compare_all(cuda));
    json_object_object_add(out, "new_mapping", check_new_mapping(cuda));
    timing = json_object_new_object();
    json_object_object_add(timing, "1920x1080", time_path(cuda, 1920, 1080));
    json_object_object_add(timing, "3840x2160", time_path(cuda, 3840, 2160));
    json_object_object_add(out, "timing", timing);
    json_object_object_add(out, "encoders", check_encoders(cuda));
    json_object_object_add(out, "zero_copy", check_zero_copy(cuda));
    json_object_object_add(out, "all_ok", json_object_new_boolean(all_ok));
    printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
    json_object_put(out);
    cuda_close(cuda);
    return all_ok ? 0 : 1;
}
