/* Fuzzes frame_check, the one gate between a producer's chunk and our reads: a spa_buffer is
 * built from the input (datas, chunks, metas, the Format's size) over a real mapping whose last
 * byte sits against a PROT_NONE page, frame_check judges it, and every byte of a frame it lets
 * through is read the way stream.c and capture.c read it. A validation gap is a read past the
 * mapping (SEGV) or past a meta (ASan), not a silent wrong answer. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>

#include "convert.h"
#include "formats.h"
#include "frame.h"
#include "pattern.h"
#include "frame-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_buffer {
    struct spa_buffer buf;
    struct spa_data datas[FRAME_INPUT_MAX_DATAS];
    struct spa_chunk chunks[FRAME_INPUT_MAX_DATAS];
    struct spa_meta metas[FRAME_INPUT_MAX_METAS];
};

/* One mapping for the whole run: FRAME_INPUT_REGION_MAX bytes, then a page nobody may touch. */
static uint8_t *mapping_end(void)
{
    static uint8_t *end;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *base;

    if (end)
        return end;
    base = mmap(NULL, FRAME_INPUT_REGION_MAX + page, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || mprotect(base + FRAME_INPUT_REGION_MAX, page, PROT_NONE) < 0)
        abort();
    end = base + FRAME_INPUT_REGION_MAX;
    return end;
}

/* The region ends where the mapping ends; its bytes are the input's tail, then zeros, so that a
 * frame can carry the emulator's stamp (stream.c reads it) and every run is reproducible. */
static const uint8_t *map_region(uint32_t region_size, const struct frame_input *in)
{
    uint8_t *region;
    size_t fill;

    if (region_size > FRAME_INPUT_REGION_MAX)
        return NULL;
    region = mapping_end() - region_size;
    fill = in->left < region_size ? in->left : region_size;
    memcpy(region, in->p, fill);
    memset(region + fill, 0, region_size - fill);
    return region;
}

static void build_datas(struct fuzz_buffer *fb, struct frame_input *in, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        struct frame_input_data d;
        frame_input_data(in, &d);
        fb->chunks[i] = (struct spa_chunk){
            .offset = d.offset, .size = d.size, .stride = d.stride, .flags = d.chunk_flags};
        fb->datas[i] = (struct spa_data){.type = d.type,
                                         .flags = d.flags,
                                         .fd = d.fd,
                                         .mapoffset = d.mapoffset,
                                         .maxsize = d.maxsize,
                                         .chunk = &fb->chunks[i]};
    }
    fb->buf.n_datas = n;
    fb->buf.datas = fb->datas;
}

/* Each meta gets exactly the bytes its size says: PipeWire lays them out so in the buffer's
 * memory, and ASan sees a read past one. */
static void build_metas(struct fuzz_buffer *fb, struct frame_input *in, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        struct frame_input_meta m;
        frame_input_meta(in, &m);
        fb->metas[i] = (struct spa_meta){.type = m.type, .size = m.size, .data = malloc(m.size)};
        if (!fb->metas[i].data && m.size)
            abort();
        frame_input_take(in, fb->metas[i].data, m.size);
    }
    fb->buf.n_metas = n;
    fb->buf.metas = fb->metas;
}

static void free_metas(struct fuzz_buffer *fb)
{
    for (uint32_t i = 0; i < fb->buf.n_metas; i++)
        free(fb->metas[i].data);
}

static volatile uint8_t sink;

static void read_bytes(const uint8_t *p, size_t n)
{
    uint8_t x = 0;

    for (size_t i = 0; i < n; i++)
        x ^= p[i];
    sink ^= x;
}

/* capture.c's on_frame(): the crop effective_region() cuts out (4 bytes a pixel, as it assumes),
 * in even sizes, through the converter. */
static void convert_like_capture(const struct frame *f)
{
    const uint8_t *src = f->data;
    uint32_t w = f->width, h = f->height;
    struct yuv_image img;

    if (f->has_crop) {
        src = f->data + (size_t)f->crop_y * f->stride + (size_t)f->crop_x * 4;
        w = f->crop_width;
        h = f->crop_height;
    }
    w &= ~1u;
    h &= ~1u;
    if (!convert_supported(f->format) || w == 0 || h == 0 || yuv_image_alloc(&img, w, h, false))
        return;
    convert_rgb_to_yuv(src, f->stride, f->format, &img);
    sink ^= img.y[0];
    yuv_image_free(&img);
}

/* What the consumers of a good frame read: every row of it, what capture converts, and the stamp
 * stream.c's read_stamp() looks for, over the size it passes. */
static void use_frame(const struct frame *f, const struct frame_format *fmt)
{
    struct pattern_stamp stamp;
    uint64_t row_bytes = (uint64_t)f->width * fmt->bytes_per_pixel;

    if (!f->data)
        return;
    for (uint32_t y = 0; row_bytes && y < f->height; y++)
        read_bytes(f->data + (size_t)y * f->stride, row_bytes);
    convert_like_capture(f);
    if (pattern_read(f->data, f->bytes, &stamp))
        sink ^= (uint8_t)stamp.seq;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct frame_input in = {.p = data, .left = size};
    struct frame_input_head head;
    struct fuzz_buffer fb = {0};
    const struct video_format *vf;
    struct frame_format fmt = {0};
    const uint8_t *region;
    struct frame f;

    frame_input_head(&in, &head);
    /* As stream.c's set_frame_format() fills it from the Format the daemon sent. */
    vf = format_by_spa(head.format);
    fmt.format = head.format;
    fmt.width = head.width;
    fmt.height = head.height;
    fmt.bytes_per_pixel = vf ? vf->bytes_per_pixel : 4;
    build_datas(&fb, &in, head.n_datas);
    build_metas(&fb, &in, head.n_metas);
    region = map_region(head.region_size, &in);
    if (frame_check(&f, &fb.buf, &fmt, region, region ? head.region_size : 0) == FRAME_OK)
        use_frame(&f, &fmt);
    free_metas(&fb);
    return 0;
}
