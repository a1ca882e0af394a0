/* How fuzz-frame reads its input, shared with make-corpus so that the seeds it writes are buffers
 * as Mutter, xdg-desktop-portal-wlr and the emulator hand them over. All fields little-endian;
 * a short input reads as zeros, so every byte string is some buffer. */
#pragma once

#include <stdint.h>
#include <string.h>

/* The most a fuzzed mapping holds: enough for a 256x256 BGRx frame, small enough to stay fast. */
#define FRAME_INPUT_REGION_MAX (1u << 20)
/* region_size above FRAME_INPUT_REGION_MAX: nothing is mapped (a DMA-BUF left to the GPU). */
#define FRAME_INPUT_UNMAPPED       0xffffffffu
#define FRAME_INPUT_MAX_DATAS      4
#define FRAME_INPUT_MAX_METAS      6
#define FRAME_INPUT_MAX_META_BYTES 1024

/* What the Format said (stream.c's set_frame_format makes a frame_format from it). */
struct frame_input_head {
    uint32_t format, width, height;
    uint32_t region_size; /* readable bytes from byte 0 of datas[0]'s maxsize range */
    uint8_t n_datas, n_metas;
};

struct frame_input_data {
    uint32_t type, flags;
    int64_t fd;
    uint32_t mapoffset, maxsize;
    uint32_t offset, size; /* the chunk: in memory the producer can write */
    int32_t stride, chunk_flags;
};

/* Followed by `size` bytes of meta data (at most FRAME_INPUT_MAX_META_BYTES are read). */
struct frame_input_meta {
    uint32_t type, size;
};

struct frame_input {
    const uint8_t *p;
    size_t left;
};

static inline void frame_input_take(struct frame_input *in, void *out, size_t n)
{
    size_t have = n < in->left ? n : in->left;

    memset(out, 0, n);
    memcpy(out, in->p, have);
    in->p += have;
    in->left -= have;
}

static inline uint32_t frame_input_u32(struct frame_input *in)
{
    uint8_t b[4];

    frame_input_take(in, b, sizeof(b));
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint8_t frame_input_u8(struct frame_input *in)
{
    uint8_t b;

    frame_input_take(in, &b, 1);
    return b;
}

static inline void frame_input_head(struct frame_input *in, struct frame_input_head *h)
{
    h->format = frame_input_u32(in);
    h->width = frame_input_u32(in);
    h->height = frame_input_u32(in);
    h->region_size = frame_input_u32(in);
    h->n_datas = frame_input_u8(in) % (FRAME_INPUT_MAX_DATAS + 1);
    h->n_metas = frame_input_u8(in) % (FRAME_INPUT_MAX_METAS + 1);
}

static inline void frame_input_data(struct frame_input *in, struct frame_input_data *d)
{
    d->type = frame_input_u32(in);
    d->flags = frame_input_u32(in);
    d->fd = (int32_t)frame_input_u32(in);
    d->mapoffset = frame_input_u32(in);
    d->maxsize = frame_input_u32(in);
    d->offset = frame_input_u32(in);
    d->size = frame_input_u32(in);
    d->stride = (int32_t)frame_input_u32(in);
    d->chunk_flags = (int32_t)frame_input_u32(in);
}

static inline void frame_input_meta(struct frame_input *in, struct frame_input_meta *m)
{
    m->type = frame_input_u32(in);
    m->size = frame_input_u32(in) % (FRAME_INPUT_MAX_META_BYTES + 1);
}
