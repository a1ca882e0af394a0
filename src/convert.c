/* One pass over the RGB frame, two rows at a time: four luma samples and their chroma average
 * from each 2x2 block, in integer BT.601 limited-range arithmetic. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/video/raw.h>

#include "convert.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* AVX2 where the machine has it, chosen at run time: the build targets plain x86-64. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CONVERT_AVX2 1
#include <immintrin.h>
#endif

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

const struct convert_colour convert_colour = {
    .matrix = CONVERT_MATRIX_BT601,
    .full_range = false,
    .chroma_centre = true,
};

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

#ifdef __SSE2__
/* One channel of four pixels as 32-bit lanes. */
static inline __m128i channel(__m128i px, __m128i shift)
{
    return _mm_and_si128(_mm_srl_epi32(px, shift), _mm_set1_epi32(0xff));
}

/* A channel of 16 pixels of a row as two registers of eight 16-bit lanes. */
static inline void channel16(const uint8_t *p, __m128i shift, __m128i *lo, __m128i *hi)
{
    __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)p + 1);
    __m128i c = _mm_loadu_si128((const __m128i *)p + 2),
            d = _mm_loadu_si128((const __m128i *)p + 3);

    *lo = _mm_packs_epi32(channel(a, shift), channel(b, shift));
    *hi = _mm_packs_epi32(channel(c, shift), channel(d, shift));
}

/* ((66 R + 129 G + 25 B + 128) >> 8) + 16 in unsigned 16 bits: at most 56228, so it fits. */
static inline __m128i luma8(__m128i r, __m128i g, __m128i b)
{
    __m128i y = _mm_add_epi16(_mm_mullo_epi16(r, _mm_set1_epi16(66)),
                              _mm_mullo_epi16(g, _mm_set1_epi16(129)));

    y = _mm_add_epi16(y, _mm_mullo_epi16(b, _mm_set1_epi16(25)));
    y = _mm_srli_epi16(_mm_add_epi16(y, _mm_set1_epi16(128)), 8);
    return _mm_add_epi16(y, _mm_set1_epi16(16));
}

/* Sums of horizontal neighbours: 16 lanes of a 2-row sum become 8 lanes of 2x2 sums. */
static inline __m128i pairs(__m128i lo, __m128i hi)
{
    __m128i ones = _mm_set1_epi16(1);

    return _mm_packs_epi32(_mm_madd_epi16(lo, ones), _mm_madd_epi16(hi, ones));
}

/* (sum + 2) >> 2 is the scalar (sum + n/2) / n for n = 4; the U and V forms fit in 16 bits. */
static inline void chroma8(__m128i rs, __m128i gs, __m128i bs, __m128i *u, __m128i *v)
{
    __m128i two = _mm_set1_epi16(2), c128 = _mm_set1_epi16(128);
    __m128i r = _mm_srli_epi16(_mm_add_epi16(rs, two), 2);
    __m128i g = _mm_srli_epi16(_mm_add_epi16(gs, two), 2);
    __m128i b = _mm_srli_epi16(_mm_add_epi16(bs, two), 2);
    __m128i uu = _mm_sub_epi16(_mm_mullo_epi16(b, _mm_set1_epi16(112)),
                               _mm_add_epi16(_mm_mullo_epi16(r, _mm_set1_epi16(38)),
                                             _mm_mullo_epi16(g, _mm_set1_epi16(74))));
    __m128i vv = _mm_sub_epi16(_mm_mullo_epi16(r, _mm_set1_epi16(112)),
                               _mm_add_epi16(_mm_mullo_epi16(g, _mm_set1_epi16(94)),
                                             _mm_mullo_epi16(b, _mm_set1_epi16(18))));

    *u = _mm_add_epi16(_mm_srai_epi16(_mm_add_epi16(uu, c128), 8), c128);
    *v = _mm_add_epi16(_mm_srai_epi16(_mm_add_epi16(vv, c128), 8), c128);
}

/* 16 pixels of two rows: 32 luma samples and 8 chroma pairs. */
static void block16(const uint8_t *row0, const uint8_t *row1, const struct layout *l, uint8_t *y0,
                    uint8_t *y1, uint8_t *u, uint8_t *v, bool nv12)
{
    __m128i sr = _mm_cvtsi32_si128(l->r * 8), sg = _mm_cvtsi32_si128(l->g * 8);
    __m128i sb = _mm_cvtsi32_si128(l->b * 8);
    __m128i r0l, r0h, g0l, g0h, b0l, b0h, r1l, r1h, g1l, g1h, b1l, b1h, cu, cv;

    channel16(row0, sr, &r0l, &r0h);
    channel16(row0, sg, &g0l, &g0h);
    channel16(row0, sb, &b0l, &b0h);
    channel16(row1, sr, &r1l, &r1h);
    channel16(row1, sg, &g1l, &g1h);
    channel16(row1, sb, &b1l, &b1h);
    _mm_storeu_si128((__m128i *)y0, _mm_packus_epi16(luma8(r0l, g0l, b0l), luma8(r0h, g0h, b0h)));
    _mm_storeu_si128((__m128i *)y1, _mm_packus_epi16(luma8(r1l, g1l, b1l), luma8(r1h, g1h, b1h)));
    chroma8(pairs(_mm_add_epi16(r0l, r1l), _mm_add_epi16(r0h, r1h)),
            pairs(_mm_add_epi16(g0l, g1l), _mm_add_epi16(g0h, g1h)),
            pairs(_mm_add_epi16(b0l, b1l), _mm_add_epi16(b0h, b1h)), &cu, &cv);
    cu = _mm_packus_epi16(cu, cu);
    cv = _mm_packus_epi16(cv, cv);
    if (nv12) {
        _mm_storeu_si128((__m128i *)u, _mm_unpacklo_epi8(cu, cv));
    } else {
        _mm_storel_epi64((__m128i *)u, cu);
        _mm_storel_epi64((__m128i *)v, cv);
    }
}
#endif

#ifdef CONVERT_AVX2
#define AVX2 __attribute__((target("avx2")))

/* One channel of the 16 pixels at p (64 bytes), as 16-bit lanes in pixel order. The 128-bit
 * halves are swapped in first because the packs that narrow 32 to 16 bits work per half. */
static AVX2 inline __m256i channel16_avx2(__m256i lo, __m256i hi, __m128i shift)
{
    __m256i mask = _mm256_set1_epi32(0xff);
    __m256i x =
        _mm256_and_si256(_mm256_srl_epi32(_mm256_permute2x128_si256(lo, hi, 0x20), shift), mask);
    __m256i y =
        _mm256_and_si256(_mm256_srl_epi32(_mm256_permute2x128_si256(lo, hi, 0x31), shift), mask);

    return _mm256_packs_epi32(x, y);
}

/* The three channels of 32 pixels of a row: [0] pixels 0-15, [1] pixels 16-31. */
struct rgb32 {
    __m256i r[2], g[2], b[2];
};

static AVX2 inline void load32_avx2(const uint8_t *p, const struct layout *l, struct rgb32 *c)
{
    __m128i sr = _mm_cvtsi32_si128(l->r * 8), sg = _mm_cvtsi32_si128(l->g * 8);
    __m128i sb = _mm_cvtsi32_si128(l->b * 8);

    for (int i = 0; i < 2; i++) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(p + i * 64));
        __m256i hi = _mm256_loadu_si256((const __m256i *)(p + i * 64 + 32));
        c->r[i] = channel16_avx2(lo, hi, sr);
        c->g[i] = channel16_avx2(lo, hi, sg);
        c->b[i] = channel16_avx2(lo, hi, sb);
    }
}

/* As luma8: ((66 R + 129 G + 25 B + 128) >> 8) + 16, 16 lanes. */
static AVX2 inline __m256i luma16_avx2(__m256i r, __m256i g, __m256i b)
{
    __m256i y = _mm256_add_epi16(_mm256_mullo_epi16(r, _mm256_set1_epi16(66)),
                                 _mm256_mullo_epi16(g, _mm256_set1_epi16(129)));

    y = _mm256_add_epi16(y, _mm256_mullo_epi16(b, _mm256_set1_epi16(25)));
    y = _mm256_srli_epi16(_mm256_add_epi16(y, _mm256_set1_epi16(128)), 8);
    return _mm256_add_epi16(y, _mm256_set1_epi16(16));
}

/* 32 luma bytes in pixel order (the pack works per half: the quarters come back in place). */
static AVX2 inline void store_luma32_avx2(uint8_t *dst, __m256i r[2], __m256i g[2], __m256i b[2])
{
    __m256i y = _mm256_packus_epi16(luma16_avx2(r[0], g[0], b[0]), luma16_avx2(r[1], g[1], b[1]));

    _mm256_storeu_si256((__m256i *)dst, _mm256_permute4x64_epi64(y, 0xd8));
}

/* 2x2 sums of a channel over both rows: 16 lanes, one a chroma sample, in order. */
static AVX2 inline __m256i sums16_avx2(const __m256i a[2], const __m256i b[2])
{
    __m256i ones = _mm256_set1_epi16(1);
    __m256i lo = _mm256_madd_epi16(_mm256_add_epi16(a[0], b[0]), ones);
    __m256i hi = _mm256_madd_epi16(_mm256_add_epi16(a[1], b[1]), ones);

    return _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xd8);
}

/* As chroma8, 16 lanes. */
static AVX2 inline void chroma16_avx2(__m256i rs, __m256i gs, __m256i bs, __m256i *u, __m256i *v)
{
    __m256i two = _mm256_set1_epi16(2), c128 = _mm256_set1_epi16(128);
    __m256i r = _mm256_srli_epi16(_mm256_add_epi16(rs, two), 2);
    __m256i g = _mm256_srli_epi16(_mm256_add_epi16(gs, two), 2);
    __m256i b = _mm256_srli_epi16(_mm256_add_epi16(bs, two), 2);
    __m256i uu = _mm256_sub_epi16(_mm256_mullo_epi16(b, _mm256_set1_epi16(112)),
                                  _mm256_add_epi16(_mm256_mullo_epi16(r, _mm256_set1_epi16(38)),
                                                   _mm256_mullo_epi16(g, _mm256_set1_epi16(74))));
    __m256i vv = _mm256_sub_epi16(_mm256_mullo_epi16(r, _mm256_set1_epi16(112)),
                                  _mm256_add_epi16(_mm256_mullo_epi16(g, _mm256_set1_epi16(94)),
                                                   _mm256_mullo_epi16(b, _mm256_set1_epi16(18))));

    *u = _mm256_add_epi16(_mm256_srai_epi16(_mm256_add_epi16(uu, c128), 8), c128);
    *v = _mm256_add_epi16(_mm256_srai_epi16(_mm256_add_epi16(vv, c128), 8), c128);
}

/* 32 pixels of two rows: 64 luma samples and 16 chroma pairs, as block16 does for 16. */
static AVX2 void block32_avx2(const uint8_t *row0, const uint8_t *row1, const struct layout *l,
                              uint8_t *y0, uint8_t *y1, uint8_t *u, uint8_t *v, bool nv12)
{
    struct rgb32 a, b;
    __m256i cu, cv, uv;
    __m128i u16, v16;

    load32_avx2(row0, l, &a);
    load32_avx2(row1, l, &b);
    store_luma32_avx2(y0, a.r, a.g, a.b);
    store_luma32_avx2(y1, b.r, b.g, b.b);
    chroma16_avx2(sums16_avx2(a.r, b.r), sums16_avx2(a.g, b.g), sums16_avx2(a.b, b.b), &cu, &cv);
    uv = _mm256_permute4x64_epi64(_mm256_packus_epi16(cu, cv), 0xd8);
    u16 = _mm256_castsi256_si128(uv);
    v16 = _mm256_extracti128_si256(uv, 1);
    if (nv12) {
        _mm_storeu_si128((__m128i *)u, _mm_unpacklo_epi8(u16, v16));
        _mm_storeu_si128((__m128i *)u + 1, _mm_unpackhi_epi8(u16, v16));
    } else {
        _mm_storeu_si128((__m128i *)u, u16);
        _mm_storeu_si128((__m128i *)v, v16);
    }
}

/* The 32-pixel blocks of two rows; returns how many pixels it did. */
static AVX2 uint32_t rows_avx2(const uint8_t *row0, const uint8_t *row1, const struct layout *l,
                               uint32_t width, uint8_t *y0, uint8_t *y1, uint8_t *u, uint8_t *v,
                               bool nv12)
{
    uint32_t x = 0, step = nv12 ? 2 : 1;

    for (; x + 32 <= width; x += 32)
        block32_avx2(row0 + x * 4, row1 + x * 4, l, y0 + x, y1 + x, u + (x / 2) * step,
                     nv12 ? NULL : v + x / 2, nv12);
    return x;
}
#endif

/* Two rows: full 32-pixel blocks by AVX2 where the machine has it, then 16-pixel ones by SSE2,
 * both where there is a second row; the rest (and every odd edge) by the scalar code, which
 * defines the result. */
static void convert_two_rows(const uint8_t *row0, const uint8_t *row1, const struct layout *l,
                             const struct yuv_image *img, uint32_t y, bool avx2)
{
    uint8_t *y0 = img->y + (size_t)y * img->y_stride, *y1 = y0 + img->y_stride;
    uint8_t *u = img->u + (size_t)(y / 2) * img->uv_stride;
    uint8_t *v = img->nv12 ? u + 1 : img->v + (size_t)(y / 2) * img->uv_stride;
    uint32_t step = img->nv12 ? 2 : 1, x = 0;

#ifdef CONVERT_AVX2
    if (row1 && avx2)
        x = rows_avx2(row0, row1, l, img->width, y0, y1, u, img->nv12 ? NULL : v, img->nv12);
#endif
#ifdef __SSE2__
    if (row1)
        for (; x + 16 <= img->width; x += 16)
            block16(row0 + x * 4, row1 + x * 4, l, y0 + x, y1 + x, u + (x / 2) * step,
                    img->nv12 ? NULL : v + x / 2, img->nv12);
#endif
    convert_rows(row0 + x * 4, row1 ? row1 + x * 4 : NULL, l, img->width - x, y0 + x, y1 + x,
                 u + (x / 2) * step, v + (x / 2) * step, step);
}

void convert_rgb_to_yuv_scalar(const uint8_t *src, uint32_t stride, uint32_t spa_format,
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

/* __builtin_cpu_supports reads what the C library found at start-up: cheap enough per frame. */
static bool have_avx2(void)
{
#ifdef CONVERT_AVX2
    return __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

void convert_rgb_to_yuv(const uint8_t *src, uint32_t stride, uint32_t spa_format,
                        struct yuv_image *img)
{
    const struct layout *l = find_layout(spa_format);
    bool avx2 = have_avx2();

    if (!l)
        return;
    for (uint32_t y = 0; y < img->height; y += 2) {
        const uint8_t *row0 = src + (size_t)y * stride;
        convert_two_rows(row0, y + 1 < img->height ? row0 + stride : NULL, l, img, y, avx2);
    }
}
