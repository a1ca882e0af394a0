/* The RGB formats screencasts use, and the DRM names of their memory layouts. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <spa/buffer/buffer.h>
#include <spa/param/video/raw.h>

#include "formats.h"

/* SPA names bytes in memory order, DRM names a little-endian word: BGRx is XRGB8888. */
static const struct video_format formats[] = {
    {SPA_VIDEO_FORMAT_BGRx, "BGRx", DRM_FORMAT_XRGB8888, 4},
    {SPA_VIDEO_FORMAT_BGRA, "BGRA", DRM_FORMAT_ARGB8888, 4},
    {SPA_VIDEO_FORMAT_RGBx, "RGBx", DRM_FORMAT_XBGR8888, 4},
    {SPA_VIDEO_FORMAT_RGBA, "RGBA", DRM_FORMAT_ABGR8888, 4},
    {SPA_VIDEO_FORMAT_xRGB, "xRGB", DRM_FORMAT_BGRX8888, 4},
    {SPA_VIDEO_FORMAT_ARGB, "ARGB", DRM_FORMAT_BGRA8888, 4},
    {SPA_VIDEO_FORMAT_xBGR, "xBGR", DRM_FORMAT_RGBX8888, 4},
    {SPA_VIDEO_FORMAT_ABGR, "ABGR", DRM_FORMAT_RGBA8888, 4},
    {SPA_VIDEO_FORMAT_RGB, "RGB", DRM_FORMAT_BGR888, 3},
    {SPA_VIDEO_FORMAT_BGR, "BGR", DRM_FORMAT_RGB888, 3},
    {SPA_VIDEO_FORMAT_xRGB_210LE, "xRGB_210LE", DRM_FORMAT_XRGB2101010, 4},
    {SPA_VIDEO_FORMAT_xBGR_210LE, "xBGR_210LE", DRM_FORMAT_XBGR2101010, 4},
    {SPA_VIDEO_FORMAT_ARGB_210LE, "ARGB_210LE", DRM_FORMAT_ARGB2101010, 4},
    {SPA_VIDEO_FORMAT_ABGR_210LE, "ABGR_210LE", DRM_FORMAT_ABGR2101010, 4},
    {SPA_VIDEO_FORMAT_RGBx_102LE, "RGBx_102LE", DRM_FORMAT_RGBX1010102, 4},
    {SPA_VIDEO_FORMAT_BGRx_102LE, "BGRx_102LE", DRM_FORMAT_BGRX1010102, 4},
    {SPA_VIDEO_FORMAT_RGBA_102LE, "RGBA_102LE", DRM_FORMAT_RGBA1010102, 4},
    {SPA_VIDEO_FORMAT_BGRA_102LE, "BGRA_102LE", DRM_FORMAT_BGRA1010102, 4},
    /* Mutter 50's HDR format: half floats, premultiplied alpha */
    {SPA_VIDEO_FORMAT_RGBA_F16, "RGBA_F16", DRM_FORMAT_ABGR16161616F, 8},
    /* gamescope's: a luma plane, then U and V interleaved at half size, in one block */
    {SPA_VIDEO_FORMAT_NV12, "NV12", DRM_FORMAT_NV12, 1, true},
};

const struct video_format *format_by_spa(uint32_t spa)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (formats[i].spa == spa)
            return &formats[i];
    return NULL;
}

const struct video_format *format_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

const struct video_format *format_by_drm(uint32_t drm_fourcc)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (formats[i].drm_fourcc == drm_fourcc)
            return &formats[i];
    return NULL;
}

uint64_t format_image_size(const struct video_format *vf, uint32_t width, uint32_t height,
                           uint32_t *stride)
{
    uint32_t bpp = vf ? vf->bytes_per_pixel : 4;

    *stride = (width * bpp + 3) & ~3u;
    if (vf && vf->nv12)
        return (uint64_t)*stride * (height + (height + 1) / 2);
    return (uint64_t)*stride * height;
}

const char *format_name(uint32_t spa, char *buf, size_t size)
{
    const struct video_format *f = format_by_spa(spa);

    if (f)
        return f->name;
    snprintf(buf, size, "format-%u", spa);
    return buf;
}

void modifier_name(uint64_t modifier, char *buf, size_t size)
{
    char *vendor = drmGetFormatModifierVendor(modifier);
    char *name = drmGetFormatModifierName(modifier);
    char *comma = name ? strchr(name, ',') : NULL;

    if (!name)
        snprintf(buf, size, "0x%016llx", (unsigned long long)modifier);
    else if (!vendor || strcmp(vendor, "NONE") == 0)
        snprintf(buf, size, "%s", name);
    else if (comma) {
        /* libdrm says "BLOCK_LINEAR_2D,HEIGHT=0,..."; the parameters read better in brackets. */
        *comma = '\0';
        snprintf(buf, size, "%s_%s(%s)", vendor, name, comma + 1);
    } else
        snprintf(buf, size, "%s_%s", vendor, name);
    free(vendor);
    free(name);
}

int modifier_parse(const char *text, uint64_t *modifier)
{
    char *end;

    if (strcasecmp(text, "LINEAR") == 0) {
        *modifier = DRM_FORMAT_MOD_LINEAR;
        return 0;
    }
    if (strcasecmp(text, "INVALID") == 0 || strcasecmp(text, "implicit") == 0) {
        *modifier = DRM_FORMAT_MOD_INVALID;
        return 0;
    }
    errno = 0;
    *modifier = strtoull(text, &end, 0);
    if (errno || end == text || *end)
        return -EINVAL;
    return 0;
}

static const struct {
    uint32_t type;
    const char *name;
    const char *word; /* what users type */
} data_types[] = {
    {SPA_DATA_MemPtr, "MemPtr", "memptr"},
    {SPA_DATA_MemFd, "MemFd", "memfd"},
    {SPA_DATA_DmaBuf, "DmaBuf", "dmabuf"},
    {SPA_DATA_MemId, "MemId", "memid"},
};

const char *data_type_name(uint32_t type)
{
    for (size_t i = 0; i < sizeof(data_types) / sizeof(data_types[0]); i++)
        if (data_types[i].type == type)
            return data_types[i].name;
    return "unknown";
}

int data_types_parse(const char *text, uint32_t *mask)
{
    char *copy = strdup(text), *save = NULL, *word;
    int res = 0;

    if (!copy)
        return -ENOMEM;
    *mask = 0;
    for (word = strtok_r(copy, ",| ", &save); word; word = strtok_r(NULL, ",| ", &save)) {
        size_t i;
        for (i = 0; i < sizeof(data_types) / sizeof(data_types[0]); i++)
            if (strcasecmp(word, data_types[i].word) == 0)
                break;
        if (i == sizeof(data_types) / sizeof(data_types[0])) {
            res = -EINVAL;
            break;
        }
        *mask |= 1u << data_types[i].type;
    }
    free(copy);
    return res == 0 && *mask == 0 ? -EINVAL : res;
}

void data_types_string(uint32_t mask, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(data_types) / sizeof(data_types[0]); i++)
        if (mask & (1u << data_types[i].type))
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
                                     used ? "|" : "", data_types[i].name);
    if (!used)
        snprintf(buf, size, "none");
}
