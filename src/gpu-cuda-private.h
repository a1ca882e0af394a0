/* The CUDA state gpu-cuda.c and gpu-import.c share; nothing else includes this. */
#pragma once

/* Our own messages name what is missing; the loader's own would only repeat it on stderr. */
#define FFNV_LOG_FUNC(logctx, msg, ...)       ((void)0)
#define FFNV_DEBUG_LOG_FUNC(logctx, msg, ...) ((void)0)
#include <ffnvcodec/dynlink_loader.h>

#include "gpu.h"

/* Not in Debian's ffnvcodec 11.1 table: looked up in libcuda by name. */
#define CU_MEMHOSTREGISTER_READ_ONLY 0x08
typedef CUresult CUDAAPI tcuMemHostRegister(void *p, size_t bytesize, unsigned int flags);
typedef CUresult CUDAAPI tcuMemHostUnregister(void *p);
typedef CUresult CUDAAPI tcuMemAllocHost(void **pp, size_t bytesize);
typedef CUresult CUDAAPI tcuMemFreeHost(void *p);

#define MAX_REGISTERED 64

struct registration {
    void *base;
    size_t size;
    bool pinned; /* false: registering failed, this range goes through the staging buffer */
};

struct cuda {
    CudaFunctions *cu;
    tcuMemHostRegister *host_register;
    tcuMemHostUnregister *host_unregister;
    tcuMemAllocHost *alloc_host;
    tcuMemFreeHost *free_host;
    CUdevice device;
    CUcontext ctx;
    CUstream stream;
    CUmodule module;
    CUfunction to_nv12;
    char name[256];
    struct registration regs[MAX_REGISTERED];
    void *staging;
    size_t staging_size;
    CUdeviceptr rgb;
    size_t rgb_pitch;
    uint32_t rgb_width, rgb_height;
};

/* The RGB -> NV12 kernel on a device source (the upload buffer, or an imported DMA-BUF). */
CUresult cuda_launch_convert(struct cuda *c, CUdeviceptr src, size_t src_pitch, uint32_t spa_format,
                             struct cuda_nv12 *dst);
/* Copies width x height RGB pixels from copy's source (host memory, a CUDA array) into the
 * upload buffer, on the context's stream. */
CUresult cuda_copy_to_rgb(struct cuda *c, CUDA_MEMCPY2D *copy, uint32_t width, uint32_t height);
/* The upload buffer (width x height RGB) and a pinned staging buffer of frame_bytes. */
int cuda_ensure_buffers(struct cuda *c, uint32_t width, uint32_t height, size_t frame_bytes);
const char *cu_error(const struct cuda *c, CUresult res);
