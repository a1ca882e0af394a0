/* The emulator's test pattern: each frame carries its sequence number and capture time. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PATTERN_MAGIC 0x435a5750u /* "PWZC" in the first pixel */

struct pattern_stamp {
    uint32_t seq;
    uint64_t pts_ns; /* CLOCK_MONOTONIC when the producer drew the frame */
};

/* Draws the frame: a background (full = true the first time a buffer is used), the exact
 * stamp in the first four pixels, and the sequence number as black/white blocks in a band
 * below them, which survive lossy encoding. 4 bytes per pixel. */
void pattern_draw(uint8_t *data, uint32_t width, uint32_t height, uint32_t stride,
                  const struct pattern_stamp *stamp, bool full);

/* Reads the exact stamp back from the first pixels. False when there is none. */
bool pattern_read(const uint8_t *data, size_t size, struct pattern_stamp *out);

/* Reads the block-coded sequence number from a luma plane (after encode/decode). */
bool pattern_read_blocks(const uint8_t *luma, uint32_t width, uint32_t height, uint32_t stride,
                         uint32_t *seq);

/* Block size and band position for a frame width, shared by the writer and the reader. */
uint32_t pattern_block_size(uint32_t width);
#define PATTERN_BAND_Y(block) (2 * (block))
