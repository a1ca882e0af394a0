/* RGB frames to the YUV 4:2:0 layouts encoders take, on the CPU (BT.601, limited range). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A 4:2:0 image: I420 has three planes, NV12 two (u holds interleaved UV, v is NULL). */
struct yuv_image {
    uint32_t width, height;
    uint8_t *y, *u, *v;
    uint32_t y_stride, uv_stride;
    bool nv12;
};

/* The colour the conversion produces, as a container declares it: convert.c's integer
 * arithmetic and the CUDA kernel's (equal bit for bit) use the BT.601 matrix and limited range
 * (16..235 luma), and average each 2x2 block's chroma (sited at its centre). The RGB they read
 * is a screen's: sRGB, whose primaries are BT.709's. */
enum convert_matrix { CONVERT_MATRIX_BT601, CONVERT_MATRIX_BT709 };
struct convert_colour {
    enum convert_matrix matrix;
    bool full_range;
    bool chroma_centre; /* chroma sited between the four luma samples, not left of them */
};
extern const struct convert_colour convert_colour;

/* Allocates planes for width x height (odd sizes round the chroma up). 0 or -ENOMEM. */
int yuv_image_alloc(struct yuv_image *img, uint32_t width, uint32_t height, bool nv12);
void yuv_image_free(struct yuv_image *img);

/* false when `spa_format` is not a 4-byte RGB layout this converter knows. */
bool convert_supported(uint32_t spa_format);
/* Converts width x height pixels of src (stride bytes per row) into img, which must be that
 * size. The arithmetic is the same as the CUDA kernel's (cuda/convert.cu), bit for bit. */
void convert_rgb_to_yuv(const uint8_t *src, uint32_t stride, uint32_t spa_format,
                        struct yuv_image *img);

/* The plain C version: the reference the SIMD one (and the CUDA kernel) must equal. */
void convert_rgb_to_yuv_scalar(const uint8_t *src, uint32_t stride, uint32_t spa_format,
                               struct yuv_image *img);
