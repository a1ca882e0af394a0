/* One pass over the RGB frame, two rows at a time: four luma samples and their chroma average
 * from each 2x2 block, in integer BT.601 limited-range arithmetic. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/video/raw.h>

#include "convert.h"

struct layout {
    uint32_t format;
    uint8_t r, g, b; /* byte offsets inside a pixel */
};

static const struct layout layouts[] = {
    {SPA_VIDEO_FORMAT_BGRx, 2, 1, 0}, {SPA_VIDEO_FORMAT_BGRA, 2, 1, 0},
    {SPA_VIDEO_FORMAT_RGBx, 0, 1, 2}, {SPA_VIDEO_FORMAT_RGBA, 0, 1, 2},
    {SPA_VIDEO_FORMAT_xRGB, 1, 2, 3}, {SPA_VIDEO_FORMAT_ARGB, 1, 2, 3},
    {SPA_VIDEO_FORMAT_xBGR, 3, 2, 1}, {SPA_VIDEO_FORMAT_ABGR, 3, 2, 1},
};

static const struct layout *find_layout(uint32_t format)
{
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
        if (layouts[i].format == format)
            return &layouts[i];
    return NULL;
}

bool convert_supported(uint32_t spa_format)
{
    return find_layout(spa_format) != NULL;
}

int yuv_image_alloc(struct yuv_image *img, uint32_t width, uint32_t height, bool nv12)
{
    uint32_t cw = (width + 1) / 2, ch = (height + 1) / 2;
    size_t y_size = (size_t)width * height, uv_size = (size_t)cw * ch * 2;

    memset(img, 0, sizeof(*img));
    if (!(img->y = malloc(y_size + uv_size)))
        return -ENOMEM;
    img->width = width;
    img->height = height;
    img->nv12 = nv12;
    img->y_stride = width;
    img->u = img->y + y_size;
    if (nv12) {
        img->uv_stride = cw * 2;
    } else {
        img->uv_stride = cw;
        img->v = img->u + (size_t)cw * ch;
    }
    return 0;
}

void yuv_image_free(struct yuv_image *img)
{
    free(img->y);
    memset(img, 0, sizeof(*img));
}

static inline uint8_t luma(int r, int g, int b)
{
    return (uint8_t)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

/* Chroma from the sums of up to four pixels (n of them), rounded, as the GPU kernel does. */
static inline void chroma(int r, int g, int b, int n, uint8_t *u, uint8_t *v)
{
    r = (r + n / 2) / n;
    g = (g + n / 2) / n;
    b = (b + n / 2) / n;
    *u = (uint8_t)(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
    *v = (uint8_t)(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
}

static void convert_rows(const uint8_t *row0, const uint8_t *row1, const struct layout *l,
                         uint32_t width, uint8_t *y0, uint8_t *y1, uint8_t *u, uint8_t *v,
                         uint32_t uv_step)
{
    for (uint32_t x = 0; x < width; x += 2) {
        int r = 0, g = 0, b = 0, n = 0;
        for (uint32_t dx = 0; dx < 2 && x + dx < width; dx++) {
            const uint8_t *p0 = row0 + (x + dx) * 4, *p1 = row1 ? row1 + (x + dx) * 4 : NULL;
            y0[x + dx] = luma(p0[l->r], p0[l->g], p0[l->b]);
            r += p0[l->r], g += p0[l->g], b += p0[l->b], n++;
            if (p1) {
                y1[x + dx] = luma(p1[l->r], p1[l->g], p1[l->b]);
                r += p1[l->r], g += p1[l->g], b += p1[l->b], n++;
            }
        }
        chroma(r, g, b, n, &u[(x / 2) * uv_step], &v[(x / 2) * uv_step]);
    }
}

void convert_rgb_to_yuv(const uint8_t *src, uint32_t stride, uint32_t spa_format,
                        struct yuv_image *img)
{
    const struct layout *l = find_layout(spa_format);
    uint32_t uv_step = img->nv12 ? 2 : 1;

    if (!l)
        return;
    for (uint32_t y = 0; y < img->height; y += 2) {
        const uint8_t *row0 = src + (size_t)y * stride;
        const uint8_t *row1 = y + 1 < img->height ? row0 + stride : NULL;
        uint8_t *u = img->u + (size_t)(y / 2) * img->uv_stride;
        uint8_t *v = img->nv12 ? u + 1 : img->v + (size_t)(y / 2) * img->uv_stride;
        convert_rows(row0, row1, l, img->width, img->y + (size_t)y * img->y_stride,
                     img->y + (size_t)(y + 1) * img->y_stride, u, v, uv_step);
    }
}
