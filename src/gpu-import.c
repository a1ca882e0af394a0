/* Zero-copy: a DMA-BUF imported as an EGLImage with its modifier, registered with CUDA, and
 * converted where it lies. Block-linear images come to CUDA as arrays, which the GPU copies to
 * linear memory first; pitch-linear ones are read in place. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu.h"

#if defined(HAVE_FFNVCODEC) && defined(HAVE_EGL)
#include <EGL/egl.h>
#include <EGL/eglext.h>

#include "formats.h"
#include "gpu-cuda-private.h"
#include "gpu-egl-private.h"

/* From cudaEGL.h, which the driver provides but Debian's loader headers do not. */
#define CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY 1
typedef struct {
    union {
        CUarray array[3];
        void *pitch[3];
    } frame;
    unsigned int width, height, depth, pitch, plane_count, channels;
    int frame_type; /* 0: array, 1: pitch */
    int color_format;
    int cu_format;
} egl_frame;
typedef CUresult CUDAAPI tcuGraphicsEGLRegisterImage(CUgraphicsResource *res, EGLImageKHR image,
                                                     unsigned int flags);
typedef CUresult CUDAAPI tcuGraphicsResourceGetMappedEglFrame(egl_frame *frame,
                                                              CUgraphicsResource res,
                                                              unsigned int index,
                                                              unsigned int level);

#define MAX_IMPORTS 32

struct imported {
    int fd;
    uint64_t offset, modifier;
    EGLImageKHR image;
    CUgraphicsResource resource;
};

struct gpu_import {
    struct cuda *cuda;
    EGLDisplay dpy;
    PFNEGLCREATEIMAGEKHRPROC create_image;
    PFNEGLDESTROYIMAGEKHRPROC destroy_image;
    tcuGraphicsEGLRegisterImage *register_image;
    tcuGraphicsResourceGetMappedEglFrame *mapped_frame;
    struct imported images[MAX_IMPORTS];
};

/* The EGL device whose CUDA ordinal is the one our context runs on: importing on another GPU
 * would be a copy across the bus, not zero-copy. */
static EGLDisplay display_for(struct cuda *c, struct pwzc_error *err)
{
    PFNEGLQUERYDEVICESEXTPROC query_devices = (void *)eglGetProcAddress("eglQueryDevicesEXT");
    PFNEGLQUERYDEVICEATTRIBEXTPROC attrib = (void *)eglGetProcAddress("eglQueryDeviceAttribEXT");
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (void *)eglGetProcAddress("eglGetPlatformDisplayEXT");
    EGLDeviceEXT devices[16];
    EGLint n = 0;

    if (!query_devices || !attrib || !get_display || !query_devices(16, devices, &n) || n == 0) {
        pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP, "no EGL device platform");
        return EGL_NO_DISPLAY;
    }
    for (EGLint i = 0; i < n; i++) {
        EGLAttrib ordinal = -1;
        if (attrib(devices[i], EGL_CUDA_DEVICE_NV, &ordinal) && ordinal == (EGLAttrib)c->device)
            return get_display(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
    }
    pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP, "no EGL device matches CUDA device %d",
              (int)c->device);
    return EGL_NO_DISPLAY;
}

int gpu_import_open(struct gpu_import **out, struct cuda *cuda, struct pwzc_error *err)
{
    struct gpu_import *imp = calloc(1, sizeof(*imp));
    const char *ext;

    *out = NULL;
    if (!imp)
        return -ENOMEM;
    imp->cuda = cuda;
    if ((imp->dpy = display_for(cuda, err)) == EGL_NO_DISPLAY) {
        free(imp);
        return -ENOTSUP;
    }
    if (!eglInitialize(imp->dpy, NULL, NULL)) {
        free(imp);
        return pwzc_fail(
            err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
            "eglInitialize failed on the EGL device of CUDA device %d (EGL error 0x%x)",
            (int)cuda->device, eglGetError());
    }
    ext = eglQueryString(imp->dpy, EGL_EXTENSIONS);
    imp->create_image = (void *)eglGetProcAddress("eglCreateImageKHR");
    imp->destroy_image = (void *)eglGetProcAddress("eglDestroyImageKHR");
    imp->register_image = (void *)dlsym(cuda->cu->lib, "cuGraphicsEGLRegisterImage");
    imp->mapped_frame = (void *)dlsym(cuda->cu->lib, "cuGraphicsResourceGetMappedEglFrame");
    if (!ext || !strstr(ext, "EGL_EXT_image_dma_buf_import_modifiers") || !imp->create_image ||
        !imp->register_image || !imp->mapped_frame) {
        gpu_import_close(imp);
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                         "EGL or CUDA lacks DMA-BUF import with modifiers");
    }
    *out = imp;
    return 0;
}

static void forget(struct gpu_import *imp, struct imported *im)
{
    if (im->resource)
        imp->cuda->cu->cuGraphicsUnregisterResource(im->resource);
    if (im->image)
        imp->destroy_image(imp->dpy, im->image);
    memset(im, 0, sizeof(*im));
}

void gpu_import_forget(struct gpu_import *imp, int fd)
{
    if (!imp || fd < 0)
        return;
    imp->cuda->cu->cuCtxPushCurrent(imp->cuda->ctx);
    for (int i = 0; i < MAX_IMPORTS; i++)
        if (imp->images[i].image && imp->images[i].fd == fd)
            forget(imp, &imp->images[i]);
    imp->cuda->cu->cuCtxPopCurrent(NULL);
}

void gpu_import_close(struct gpu_import *imp)
{
    if (!imp)
        return;
    imp->cuda->cu->cuCtxPushCurrent(imp->cuda->ctx);
    for (int i = 0; i < MAX_IMPORTS; i++)
        if (imp->images[i].image)
            forget(imp, &imp->images[i]);
    imp->cuda->cu->cuCtxPopCurrent(NULL);
    if (imp->dpy != EGL_NO_DISPLAY)
        eglTerminate(imp->dpy);
    free(imp);
}

static EGLImageKHR create_image(struct gpu_import *imp, const struct dmabuf_plane *p,
                                bool with_modifier)
{
    EGLint attribs[GPU_DMABUF_ATTRIBS];

    gpu_dmabuf_attribs(p, with_modifier, attribs);
    return imp->create_image(imp->dpy, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT, NULL, attribs);
}

/* Imports once per buffer: EGL images and CUDA registrations are too dear to make per frame. */
static struct imported *import(struct gpu_import *imp, const struct dmabuf_plane *p,
                               struct pwzc_error *err)
{
    struct imported *slot = NULL;
    CUresult res;

    for (int i = 0; i < MAX_IMPORTS; i++) {
        struct imported *im = &imp->images[i];
        if (im->image && im->fd == p->fd && im->offset == p->offset && im->modifier == p->modifier)
            return im;
        if (!im->image && !slot)
            slot = im;
    }
    if (!slot)
        forget(imp, slot = &imp->images[0]);
    /* DRM_FORMAT_MOD_INVALID means "implicit": then no modifier attributes are sent at all. */
    slot->image = create_image(imp, p, p->modifier != 0x00ffffffffffffffull);
    if (slot->image == EGL_NO_IMAGE_KHR) {
        pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO,
                  "eglCreateImage(EGL_LINUX_DMA_BUF_EXT, modifier 0x%" PRIx64
                  ") failed: EGL error 0x%x",
                  p->modifier, eglGetError());
        slot->image = NULL;
        return NULL;
    }
    if ((res = imp->register_image(&slot->resource, slot->image,
                                   CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY)) != CUDA_SUCCESS) {
        pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO, "cuGraphicsEGLRegisterImage failed: %s",
                  cu_error(imp->cuda, res));
        forget(imp, slot);
        return NULL;
    }
    slot->fd = p->fd;
    slot->offset = p->offset;
    slot->modifier = p->modifier;
    return slot;
}

static CUresult array_to_linear(struct cuda *c, CUarray array, uint32_t width, uint32_t height)
{
    CUDA_MEMCPY2D copy = {.srcMemoryType = CU_MEMORYTYPE_ARRAY, .srcArray = array};

    return cuda_copy_to_rgb(c, &copy, width, height);
}

int gpu_import_convert(struct gpu_import *imp, const struct dmabuf_plane *p, struct cuda_nv12 *dst,
                       struct pwzc_error *err)
{
    struct cuda *c = imp->cuda;
    struct imported *im;
    egl_frame frame;
    CUresult res;
    int r = 0;

    c->cu->cuCtxPushCurrent(c->ctx);
    if (!(im = import(imp, p, err))) {
        r = -EIO;
        goto out;
    }
    if ((res = imp->mapped_frame(&frame, im->resource, 0, 0)) != CUDA_SUCCESS) {
        r = pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO,
                      "cuGraphicsResourceGetMappedEglFrame failed: %s", cu_error(c, res));
        goto out;
    }
    if (frame.frame_type == 1) {
        res = cuda_launch_convert(c, (CUdeviceptr)(uintptr_t)frame.frame.pitch[0], frame.pitch,
                                  p->spa_format, dst);
    } else if ((r = cuda_ensure_buffers(c, p->width, p->height, 0)) == 0 &&
               (res = array_to_linear(c, frame.frame.array[0], p->width, p->height)) ==
                   CUDA_SUCCESS) {
        res = cuda_launch_convert(c, c->rgb, c->rgb_pitch, p->spa_format, dst);
    }
    if (r == 0 && res != CUDA_SUCCESS)
        r = pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO, "converting the imported image failed: %s",
                      cu_error(c, res));
out:
    c->cu->cuCtxPopCurrent(NULL);
    return r;
}
#else
int gpu_import_open(struct gpu_import **imp, struct cuda *cuda, struct pwzc_error *err)
{
    *imp = NULL;
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                     "pwzc was built without EGL or the CUDA loader headers");
}

void gpu_import_close(struct gpu_import *imp) {}

void gpu_import_forget(struct gpu_import *imp, int fd) {}

int gpu_import_convert(struct gpu_import *imp, const struct dmabuf_plane *plane,
                       struct cuda_nv12 *dst, struct pwzc_error *err)
{
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                     "pwzc was built without EGL or the CUDA loader headers");
}
#endif
