/* EGL device enumeration and eglQueryDmaBufModifiersEXT: the modifiers a consumer should offer. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"
#include "gpu.h"

const struct gpu_format *gpu_find_format(const struct gpu_info *info, uint32_t drm_fourcc)
{
    for (uint32_t i = 0; info && i < info->n_formats; i++)
        if (info->formats[i].drm_fourcc == drm_fourcc)
            return &info->formats[i];
    return NULL;
}

#ifdef HAVE_EGL
#include <drm_fourcc.h>

#include "gpu-egl-private.h"

struct egl_fns {
    PFNEGLQUERYDEVICESEXTPROC query_devices;
    PFNEGLQUERYDEVICESTRINGEXTPROC query_device_string;
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display;
    PFNEGLQUERYDMABUFFORMATSEXTPROC query_formats;
    PFNEGLQUERYDMABUFMODIFIERSEXTPROC query_modifiers;
};

static bool has_extension(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list; p && (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static void query_format(struct gpu_info *info, const struct egl_fns *egl, EGLDisplay dpy,
                         uint32_t fourcc)
{
    EGLuint64KHR mods[GPU_MAX_MODIFIERS];
    EGLBoolean external[GPU_MAX_MODIFIERS];
    EGLint n = 0;
    struct gpu_format *f;

    if (info->n_formats >= GPU_MAX_FORMATS)
        return;
    if (!egl->query_modifiers(dpy, (EGLint)fourcc, GPU_MAX_MODIFIERS, mods, external, &n) || n <= 0)
        return;
    f = &info->formats[info->n_formats++];
    f->drm_fourcc = fourcc;
    for (EGLint i = 0; i < n && i < GPU_MAX_MODIFIERS; i++) {
        f->modifiers[f->n_modifiers] = mods[i];
        f->external_only[f->n_modifiers++] = external[i] == EGL_TRUE;
    }
}

/* Keeps the formats a screencast uses; the others are counted, not listed. */
static void query_formats(struct gpu_info *info, const struct egl_fns *egl, EGLDisplay dpy)
{
    EGLint formats[256], n = 0;

    if (!egl->query_formats(dpy, 256, formats, &n))
        return;
    info->n_dmabuf_formats = (uint32_t)n;
    for (EGLint i = 0; i < n; i++)
        if (format_by_drm((uint32_t)formats[i]))
            query_format(info, egl, dpy, (uint32_t)formats[i]);
}

static bool load_fns(struct egl_fns *egl, struct gpu_info *info)
{
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);

    /* NVIDIA lists EGL_EXT_device_base, which includes enumeration; Mesa lists the parts. */
    if (!client ||
        !(has_extension(client, "EGL_EXT_device_enumeration") ||
          has_extension(client, "EGL_EXT_device_base")) ||
        !has_extension(client, "EGL_EXT_platform_device")) {
        snprintf(info->reason, sizeof(info->reason),
                 "EGL has no device platform (EGL_EXT_platform_device): no GPU driver?");
        return false;
    }
    egl->query_devices = (void *)eglGetProcAddress("eglQueryDevicesEXT");
    egl->query_device_string = (void *)eglGetProcAddress("eglQueryDeviceStringEXT");
    egl->get_platform_display = (void *)eglGetProcAddress("eglGetPlatformDisplayEXT");
    egl->query_formats = (void *)eglGetProcAddress("eglQueryDmaBufFormatsEXT");
    egl->query_modifiers = (void *)eglGetProcAddress("eglQueryDmaBufModifiersEXT");
    if (!egl->query_devices || !egl->get_platform_display) {
        snprintf(info->reason, sizeof(info->reason), "EGL device functions missing");
        return false;
    }
    return true;
}

static void describe_device(struct gpu_info *info, const struct egl_fns *egl, EGLDeviceEXT dev,
                            int index)
{
    const char *node = NULL;

    if (egl->query_device_string)
        node = egl->query_device_string(dev, EGL_DRM_RENDER_NODE_FILE_EXT);
    if (!node && egl->query_device_string)
        node = egl->query_device_string(dev, EGL_DRM_DEVICE_FILE_EXT);
    if (node)
        snprintf(info->device, sizeof(info->device), "%s", node);
    else
        snprintf(info->device, sizeof(info->device), "EGL device %d (no DRM node)", index);
}

/* A display on `dev` that imports DMA-BUFs with modifiers, or EGL_NO_DISPLAY and a reason. A
 * software device counts only for software_too: it imports, but a consumer gets no GPU path. */
static EGLDisplay open_device(struct gpu_info *info, const struct egl_fns *egl, EGLDeviceEXT dev,
                              int index, bool software_too)
{
    const char *dev_ext =
        egl->query_device_string ? egl->query_device_string(dev, EGL_EXTENSIONS) : NULL;
    bool software = has_extension(dev_ext, "EGL_MESA_device_software");
    EGLDisplay dpy;
    const char *ext;

    /* Asked only where an import is to be tried: initializing llvmpipe loads Mesa's driver, a
     * cost every probe would pay for a device that is no GPU either way. */
    if (software && !software_too) {
        snprintf(info->reason, sizeof(info->reason), "only a software EGL device (Mesa llvmpipe)");
        return EGL_NO_DISPLAY;
    }
    dpy = egl->get_platform_display(EGL_PLATFORM_DEVICE_EXT, dev, NULL);
    if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, NULL, NULL))
        return EGL_NO_DISPLAY;
    ext = eglQueryString(dpy, EGL_EXTENSIONS);
    if (!has_extension(ext, "EGL_EXT_image_dma_buf_import_modifiers") || !egl->query_formats ||
        !egl->query_modifiers) {
        /* Mesa's llvmpipe imports what it can map (LINEAR) from Mesa 25; 22.3 imports none. */
        if (software)
            snprintf(info->reason, sizeof(info->reason),
                     "only a software EGL device (Mesa llvmpipe): it imports no DMA-BUFs");
        else
            snprintf(info->reason, sizeof(info->reason),
                     "EGL device %d lacks EGL_EXT_image_dma_buf_import_modifiers", index);
        eglTerminate(dpy);
        return EGL_NO_DISPLAY;
    }
    return dpy;
}

/* The first device whose display imports DMA-BUFs with modifiers is the one a consumer uses. */
static bool try_device(struct gpu_info *info, const struct egl_fns *egl, EGLDeviceEXT dev,
                       int index)
{
    EGLDisplay dpy = open_device(info, egl, dev, index, false);

    if (dpy == EGL_NO_DISPLAY)
        return false;
    snprintf(info->vendor, sizeof(info->vendor), "%s", eglQueryString(dpy, EGL_VENDOR) ?: "");
    snprintf(info->egl_version, sizeof(info->egl_version), "%s",
             eglQueryString(dpy, EGL_VERSION) ?: "");
    describe_device(info, egl, dev, index);
    query_formats(info, egl, dpy);
    eglTerminate(dpy);
    info->available = true;
    info->reason[0] = '\0';
    return true;
}

void gpu_query(struct gpu_info *info)
{
    struct egl_fns egl = {0};
    EGLDeviceEXT devices[16];
    EGLint n = 0;

    memset(info, 0, sizeof(*info));
    if (!load_fns(&egl, info))
        return;
    if (!egl.query_devices(16, devices, &n) || n <= 0) {
        snprintf(info->reason, sizeof(info->reason), "EGL lists no devices");
        return;
    }
    info->n_devices = (uint32_t)n;
    for (EGLint i = 0; i < n; i++)
        if (try_device(info, &egl, devices[i], i))
            return;
    eglReleaseThread();
}

static EGLDisplay import_display(struct egl_fns *egl, struct pwzc_error *err)
{
    struct gpu_info info = {0};
    EGLDeviceEXT devices[16];
    EGLint n = 0;

    if (!load_fns(egl, &info) || !egl->query_devices(16, devices, &n) || n <= 0) {
        pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV, "%s",
                  info.reason[0] ? info.reason : "EGL lists no devices");
        return EGL_NO_DISPLAY;
    }
    /* A GPU first; else Mesa's llvmpipe, which imports what it can map (LINEAR), as a
     * client's EGL on a machine without a GPU does (seen: OBS 32.2 in the forky root). */
    for (int pass = 0; pass < 2; pass++)
        for (EGLint i = 0; i < n; i++) {
            EGLDisplay dpy = open_device(&info, egl, devices[i], i, pass == 1);
            if (dpy != EGL_NO_DISPLAY)
                return dpy;
        }
    pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV, "%s", info.reason);
    return EGL_NO_DISPLAY;
}

static bool external_only(const struct egl_fns *egl, EGLDisplay dpy, uint32_t fourcc,
                          uint64_t modifier)
{
    EGLuint64KHR mods[GPU_MAX_MODIFIERS];
    EGLBoolean ext[GPU_MAX_MODIFIERS];
    EGLint n = 0;

    if (!egl->query_modifiers(dpy, (EGLint)fourcc, GPU_MAX_MODIFIERS, mods, ext, &n))
        return false;
    for (EGLint i = 0; i < n; i++)
        if (mods[i] == modifier)
            return ext[i] == EGL_TRUE;
    return false;
}

void gpu_dmabuf_attribs(const struct dmabuf_plane *p, bool with_modifier,
                        EGLint attribs[GPU_DMABUF_ATTRIBS])
{
    const struct video_format *vf = format_by_spa(p->spa_format);
    const EGLint a[GPU_DMABUF_ATTRIBS] = {
        EGL_WIDTH,
        (EGLint)p->width,
        EGL_HEIGHT,
        (EGLint)p->height,
        EGL_LINUX_DRM_FOURCC_EXT,
        vf ? (EGLint)vf->drm_fourcc : 0,
        EGL_DMA_BUF_PLANE0_FD_EXT,
        p->fd,
        EGL_DMA_BUF_PLANE0_OFFSET_EXT,
        (EGLint)p->offset,
        EGL_DMA_BUF_PLANE0_PITCH_EXT,
        (EGLint)p->stride,
        with_modifier ? EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT : EGL_NONE,
        (EGLint)(p->modifier & 0xffffffff),
        EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT,
        (EGLint)(p->modifier >> 32),
        EGL_NONE,
    };

    memcpy(attribs, a, sizeof(a));
}

/* An EGLDisplay is the process's, and eglTerminate ends it for every thread: clients replayed
 * at once (probe --jobs) test their imports in turn. */
static pthread_mutex_t importing = PTHREAD_MUTEX_INITIALIZER;

static int import_test_alone(const struct dmabuf_plane *p, bool *ext_only, struct pwzc_error *err)
{
    struct egl_fns egl = {0};
    EGLDisplay dpy = import_display(&egl, err);
    PFNEGLCREATEIMAGEKHRPROC create = (void *)eglGetProcAddress("eglCreateImageKHR");
    PFNEGLDESTROYIMAGEKHRPROC destroy = (void *)eglGetProcAddress("eglDestroyImageKHR");
    const struct video_format *vf = format_by_spa(p->spa_format);
    bool implicit = p->modifier == DRM_FORMAT_MOD_INVALID;
    EGLint attribs[GPU_DMABUF_ATTRIBS];
    EGLImageKHR image;

    if (dpy == EGL_NO_DISPLAY)
        return -ENODEV;
    gpu_dmabuf_attribs(p, !implicit, attribs);
    *ext_only = vf && !implicit && external_only(&egl, dpy, vf->drm_fourcc, p->modifier);
    image = create ? create(dpy, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT, NULL, attribs)
                   : EGL_NO_IMAGE_KHR;
    if (image == EGL_NO_IMAGE_KHR) {
        EGLint egl_error = eglGetError();
        eglTerminate(dpy);
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EIO, "eglCreateImage failed (EGL error 0x%x)",
                         egl_error);
    }
    destroy(dpy, image);
    eglTerminate(dpy);
    return 0;
}

int gpu_import_test(const struct dmabuf_plane *p, bool *ext_only, struct pwzc_error *err)
{
    int res;

    pthread_mutex_lock(&importing);
    res = import_test_alone(p, ext_only, err);
    pthread_mutex_unlock(&importing);
    return res;
}
#else
void gpu_query(struct gpu_info *info)
{
    memset(info, 0, sizeof(*info));
    snprintf(info->reason, sizeof(info->reason), "pwzc was built without EGL");
}

int gpu_import_test(const struct dmabuf_plane *p, bool *ext_only, struct pwzc_error *err)
{
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV, "pwzc was built without EGL");
}
#endif

static struct json_object *format_json(const struct gpu_format *f)
{
    struct json_object *obj = json_object_new_object(), *mods = json_object_new_array();
    char fourcc[8], hex[32], name[160];

    snprintf(fourcc, sizeof(fourcc), "%.4s", (const char *)&f->drm_fourcc);
    json_object_object_add(obj, "drm_format", json_object_new_string(fourcc));
    if (format_by_drm(f->drm_fourcc))
        json_object_object_add(obj, "format",
                               json_object_new_string(format_by_drm(f->drm_fourcc)->name));
    for (uint32_t i = 0; i < f->n_modifiers; i++) {
        struct json_object *m = json_object_new_object();
        snprintf(hex, sizeof(hex), "0x%016" PRIx64, f->modifiers[i]);
        modifier_name(f->modifiers[i], name, sizeof(name));
        json_object_object_add(m, "value", json_object_new_string(hex));
        json_object_object_add(m, "name", json_object_new_string(name));
        json_object_object_add(m, "external_only", json_object_new_boolean(f->external_only[i]));
        json_object_array_add(mods, m);
    }
    json_object_object_add(obj, "modifiers", mods);
    return obj;
}

struct json_object *gpu_to_json(const struct gpu_info *info)
{
    struct json_object *obj = json_object_new_object(), *formats = json_object_new_array();

    json_object_object_add(obj, "available", json_object_new_boolean(info->available));
    if (!info->available) {
        json_object_object_add(obj, "reason", json_object_new_string(info->reason));
        json_object_object_add(obj, "formats", formats);
        return obj;
    }
    json_object_object_add(obj, "vendor", json_object_new_string(info->vendor));
    json_object_object_add(obj, "egl_version", json_object_new_string(info->egl_version));
    json_object_object_add(obj, "device", json_object_new_string(info->device));
    json_object_object_add(obj, "dmabuf_formats", json_object_new_int((int)info->n_dmabuf_formats));
    for (uint32_t i = 0; i < info->n_formats; i++)
        json_object_array_add(formats, format_json(&info->formats[i]));
    json_object_object_add(obj, "formats", formats);
    return obj;
}
