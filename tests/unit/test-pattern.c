/* Proves the emulator's stamps read back: exactly from raw pixels, and from the block band
 * through a luma plane, as after an encode and decode. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pattern.h"

static void raw_stamp_reads_back_exactly(void **state)
{
    uint32_t w = 320, h = 240, stride = w * 4;
    uint8_t *frame = calloc(1, (size_t)stride * h);
    struct pattern_stamp in = {.seq = 123456, .pts_ns = 0x0123456789abcdefull}, out = {0};

    pattern_draw(frame, w, h, stride, &in, true);
    assert_true(pattern_read(frame, (size_t)stride * h, &out));
    assert_int_equal(out.seq, in.seq);
    assert_true(out.pts_ns == in.pts_ns);
    assert_false(pattern_read(frame + 4, (size_t)stride * h - 4, &out));
    assert_false(pattern_read(frame, 8, &out));
    free(frame);
}

/* BT.601 luma of BGRx, as a decoder would hand it back (limited range). */
static void to_luma(const uint8_t *bgrx, uint32_t w, uint32_t h, uint32_t stride, uint8_t *y)
{
    for (uint32_t r = 0; r < h; r++)
        for (uint32_t c = 0; c < w; c++) {
            const uint8_t *p = bgrx + (size_t)r * stride + c * 4;
            y[(size_t)r * w + c] = (uint8_t)(16 + (66 * p[2] + 129 * p[1] + 25 * p[0]) / 256);
        }
}

static void block_band_survives_conversion_to_luma(void **state)
{
    static const uint32_t widths[] = {1280, 320, 64};

    for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
        uint32_t w = widths[i], h = 64, stride = w * 4, seq = 0;
        uint8_t *frame = calloc(1, (size_t)stride * h), *luma = calloc(1, (size_t)w * h);
        struct pattern_stamp in = {.seq = 0xa5c3f00f, .pts_ns = 1};

        pattern_draw(frame, w, h, stride, &in, true);
        to_luma(frame, w, h, stride, luma);
        assert_true(pattern_read_blocks(luma, w, h, w, &seq));
        assert_int_equal(seq, in.seq);
        free(frame);
        free(luma);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(raw_stamp_reads_back_exactly),
        cmocka_unit_test(block_band_survives_conversion_to_luma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
