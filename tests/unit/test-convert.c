/* Proves the CPU conversion (SIMD where the machine has it: AVX2's 32-pixel blocks, then SSE2's
 * 16) equals the plain C reference byte for byte, for every RGB layout, I420 and NV12, and sizes
 * that leave odd edges and partial SIMD blocks of each kind; and that the BT.601 limited-range
 * corners come out as the standard says. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <spa/param/video/raw.h>

#include "convert.h"

static const uint32_t formats[] = {
    SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRA, SPA_VIDEO_FORMAT_RGBx, SPA_VIDEO_FORMAT_RGBA,
    SPA_VIDEO_FORMAT_xRGB, SPA_VIDEO_FORMAT_ARGB, SPA_VIDEO_FORMAT_xBGR, SPA_VIDEO_FORMAT_ABGR};

static size_t plane_bytes(const struct yuv_image *img)
{
    return (size_t)img->width * img->height +
           (size_t)((img->width + 1) / 2) * ((img->height + 1) / 2) * 2;
}

static void equal_for(uint32_t w, uint32_t h, uint32_t format, bool nv12)
{
    uint32_t stride = w * 4 + 12; /* a stride that is not the row: rows must not run together */
    uint8_t *src = malloc((size_t)stride * h);
    struct yuv_image fast, ref;

    for (size_t i = 0; i < (size_t)stride * h; i++)
        src[i] = (uint8_t)(i * 2654435761u >> 13);
    yuv_image_alloc(&fast, w, h, nv12);
    yuv_image_alloc(&ref, w, h, nv12);
    convert_rgb_to_yuv(src, stride, format, &fast);
    convert_rgb_to_yuv_scalar(src, stride, format, &ref);
    if (memcmp(fast.y, ref.y, plane_bytes(&ref)) != 0)
        fail_msg("%ux%u format %u %s differs from the reference", w, h, format,
                 nv12 ? "NV12" : "I420");
    yuv_image_free(&fast);
    yuv_image_free(&ref);
    free(src);
}

static void simd_equals_scalar_everywhere(void **state)
{
    static const uint32_t sizes[][2] = {{1920, 1080}, {33, 17}, {16, 2},  {15, 1},
                                        {2, 2},       {47, 3},  {120, 6}, {64, 3}};

    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            equal_for(sizes[s][0], sizes[s][1], formats[f], true);
            equal_for(sizes[s][0], sizes[s][1], formats[f], false);
        }
}

static void white_black_and_red_follow_bt601_limited_range(void **state)
{
    /* BGRx: white, black, pure red, pure blue, in two 16-pixel rows each (the SIMD path). */
    static const uint8_t colours[][4] = {
        {255, 255, 255, 0}, {0, 0, 0, 0}, {0, 0, 255, 0}, {255, 0, 0, 0}};
    static const uint8_t expect[][3] = {
        {235, 128, 128}, {16, 128, 128}, {82, 90, 240}, {41, 240, 110}};
    uint8_t src[16 * 2 * 4];
    struct yuv_image img;

    yuv_image_alloc(&img, 16, 2, false);
    for (size_t c = 0; c < 4; c++) {
        for (size_t i = 0; i < 32; i++)
            memcpy(src + i * 4, colours[c], 4);
        convert_rgb_to_yuv(src, 64, SPA_VIDEO_FORMAT_BGRx, &img);
        assert_int_equal(img.y[0], expect[c][0]);
        assert_int_equal(img.u[0], expect[c][1]);
        assert_int_equal(img.v[0], expect[c][2]);
    }
    yuv_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simd_equals_scalar_everywhere),
        cmocka_unit_test(white_black_and_red_follow_bt601_limited_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
