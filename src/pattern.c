/* Stamps written into pixels: exact bytes for raw frames, big blocks for encoded ones. */
#include "config.h"

#include <string.h>

#include "pattern.h"

#define SEQ_BITS 32

uint32_t pattern_block_size(uint32_t width)
{
    /* 32 blocks across must fit; 16 px blocks survive H.264 at ordinary bitrates. */
    for (uint32_t b = 16; b > 1; b /= 2)
        if (b * SEQ_BITS <= width)
            return b;
    return 1;
}

static void fill_rect(uint8_t *data, uint32_t stride, uint32_t x, uint32_t y, uint32_t w,
                      uint32_t h, uint32_t pixel)
{
    for (uint32_t row = y; row < y + h; row++) {
        uint32_t *p = (uint32_t *)(data + (size_t)row * stride) + x;
        for (uint32_t i = 0; i < w; i++)
            p[i] = pixel;
    }
}

static void draw_background(uint8_t *data, uint32_t width, uint32_t height, uint32_t stride)
{
    /* Vertical bars: something a human recognises in a capture, cheap to draw once. */
    static const uint32_t bars[] = {0xffc0c0c0, 0xffc0c000, 0xff00c0c0, 0xff00c000,
                                    0xffc000c0, 0xffc00000, 0xff0000c0, 0xff202020};
    uint32_t n = sizeof(bars) / sizeof(bars[0]);

    for (uint32_t i = 0; i < n; i++) {
        uint32_t x0 = width * i / n, x1 = width * (i + 1) / n;
        fill_rect(data, stride, x0, 0, x1 - x0, height, bars[i]);
    }
}

void pattern_draw(uint8_t *data, uint32_t width, uint32_t height, uint32_t stride,
                  const struct pattern_stamp *stamp, bool full)
{
    uint32_t block = pattern_block_size(width), y = PATTERN_BAND_Y(block);
    uint32_t header[4] = {PATTERN_MAGIC, stamp->seq, (uint32_t)stamp->pts_ns,
                          (uint32_t)(stamp->pts_ns >> 32)};

    if (full)
        draw_background(data, width, height, stride);
    if (width >= 4)
        memcpy(data, header, sizeof(header));
    if (y + block > height)
        return;
    for (uint32_t bit = 0; bit < SEQ_BITS && (bit + 1) * block <= width; bit++) {
        bool one = (stamp->seq >> (SEQ_BITS - 1 - bit)) & 1;
        fill_rect(data, stride, bit * block, y, block, block, one ? 0xffffffff : 0xff000000);
    }
    /* A moving mark: the frame differs visibly even where the numbers do not. */
    if (height > y + 2 * block) {
        uint32_t span = width > block ? width - block : 1;
        uint32_t x = (stamp->seq * block) % span;
        fill_rect(data, stride, 0, y + block, width, block, 0xff202020);
        fill_rect(data, stride, x, y + block, block, block, 0xffffff00);
    }
}

bool pattern_read(const uint8_t *data, size_t size, struct pattern_stamp *out)
{
    uint32_t header[4];

    if (!data || size < sizeof(header))
        return false;
    memcpy(header, data, sizeof(header));
    if (header[0] != PATTERN_MAGIC)
        return false;
    out->seq = header[1];
    out->pts_ns = (uint64_t)header[2] | ((uint64_t)header[3] << 32);
    return true;
}

bool pattern_read_blocks(const uint8_t *luma, uint32_t width, uint32_t height, uint32_t stride,
                         uint32_t *seq)
{
    uint32_t block = pattern_block_size(width), y = PATTERN_BAND_Y(block) + block / 2;
    uint32_t value = 0;

    if (y >= height || block * SEQ_BITS > width)
        return false;
    for (uint32_t bit = 0; bit < SEQ_BITS; bit++) {
        uint8_t v = luma[(size_t)y * stride + bit * block + block / 2];
        /* Black and white encode to ~16 and ~235 in limited range: the midpoint splits them. */
        value = (value << 1) | (v > 128 ? 1u : 0u);
    }
    *seq = value;
    return true;
}
