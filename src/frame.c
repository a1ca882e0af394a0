/* The only place a chunk's offset, size and stride are trusted, and only after checking them:
 * the producer is another process, and a hostile or buggy one must not make us read past a
 * mapping. */
#include "config.h"

#include <string.h>

#include <spa/buffer/meta.h>

#include "frame.h"

const char *frame_drop_name(enum frame_drop reason)
{
    static const char *const names[] = {
        [FRAME_OK] = "ok",
        [FRAME_EMPTY] = "empty",
        [FRAME_CURSOR_ONLY] = "cursor-only",
        [FRAME_CORRUPTED] = "corrupted",
        [FRAME_OUT_OF_BOUNDS] = "out-of-bounds",
        [FRAME_BAD_STRIDE] = "bad-stride",
        [FRAME_UNMAPPED] = "unmapped",
        [FRAME_IMPORT_FAILED] = "import-failed",
        [FRAME_UNREADABLE] = "unreadable",
        [FRAME_HELD_BY_CLOCK] = "held-by-clock",
    };
    return (unsigned)reason < FRAME_DROP_REASONS ? names[reason] : "unknown";
}

bool frame_fate_is_idle(enum frame_drop fate)
{
    return fate == FRAME_EMPTY || fate == FRAME_CURSOR_ONLY;
}

bool frame_fate_is_drop(enum frame_drop fate)
{
    return fate != FRAME_OK && fate != FRAME_HELD_BY_CLOCK && !frame_fate_is_idle(fate);
}

/* Mutter sends a cursor move as a buffer with an empty chunk and a cursor meta whose id is set
 * (spa/buffer/meta.h: id 0 means no new cursor data). */
static bool cursor_update(const struct spa_buffer *buf)
{
    struct spa_meta_cursor *c =
        spa_buffer_find_meta_data((struct spa_buffer *)buf, SPA_META_Cursor, sizeof(*c));
    uint32_t id;

    if (!c)
        return false;
    memcpy(&id, &c->id, sizeof(id)); /* one read: the producer may rewrite it */
    return id != 0;
}

/* The producer can rewrite the crop while we look at it (metas live in memory it maps writable):
 * check one copy and keep that copy, as frame_check does with the chunk. */
static void read_crop(struct frame *f, const struct spa_meta_region *meta)
{
    struct spa_meta_region crop;

    memcpy(&crop, meta, sizeof(crop));
    /* A crop of 0x0 means "no crop" for Mutter; only a real rectangle inside the frame counts. */
    if (crop.region.size.width && crop.region.size.height && crop.region.position.x >= 0 &&
        crop.region.position.y >= 0 &&
        (uint64_t)crop.region.position.x + crop.region.size.width <= f->width &&
        (uint64_t)crop.region.position.y + crop.region.size.height <= f->height) {
        f->has_crop = true;
        f->crop_x = crop.region.position.x;
        f->crop_y = crop.region.position.y;
        f->crop_width = crop.region.size.width;
        f->crop_height = crop.region.size.height;
    }
}

static void read_metas(struct frame *f, const struct spa_buffer *buf)
{
    struct spa_meta_header *h = spa_buffer_find_meta_data(buf, SPA_META_Header, sizeof(*h));
    struct spa_meta_region *crop =
        spa_buffer_find_meta_data(buf, SPA_META_VideoCrop, sizeof(*crop));
    struct spa_meta *damage = spa_buffer_find_meta(buf, SPA_META_VideoDamage);

    if (h) {
        f->has_header = true;
        f->seq = h->seq;
        f->pts_ns = h->pts;
    }
    if (crop)
        read_crop(f, crop);
    if (damage) {
        struct spa_meta_region *r;
        spa_meta_for_each(r, damage)
        {
            if (!spa_meta_region_is_valid(r))
                break;
            f->damage_regions++;
        }
    }
}

static bool header_corrupted(const struct spa_buffer *buf)
{
    struct spa_meta_header *h = spa_buffer_find_meta_data(buf, SPA_META_Header, sizeof(*h));

    return h && (h->flags & SPA_META_HEADER_FLAG_CORRUPTED);
}

/* KWin 6 sends a pointer move as a buffer whose chunk keeps the last frame's size but is flagged
 * CORRUPTED ("do not look at the frame contents", kwin 6.7 screencaststream.cpp record()), with
 * the cursor meta set: a cursor update, not a broken frame. A corrupted header (what KWin marks a
 * buffer it could not fill with) and a corrupted chunk without a cursor update stay corrupted. */
static enum frame_drop flagged(const struct spa_buffer *buf)
{
    if (header_corrupted(buf))
        return FRAME_CORRUPTED;
    if (!(buf->datas[0].chunk->flags & SPA_CHUNK_FLAG_CORRUPTED))
        return FRAME_OK;
    return cursor_update(buf) ? FRAME_CURSOR_ONLY : FRAME_CORRUPTED;
}

enum frame_drop frame_check(struct frame *f, const struct spa_buffer *buf,
                            const struct frame_format *fmt, const uint8_t *region,
                            size_t region_size)
{
    const struct spa_data *d;
    uint64_t offset, size, row_bytes, needed;
    int32_t stride;
    enum frame_drop drop;

    memset(f, 0, sizeof(*f));
    if (buf->n_datas == 0 || !buf->datas[0].chunk)
        return FRAME_EMPTY;
    d = &buf->datas[0];
    offset = d->chunk->offset;
    size = d->chunk->size;
    stride = d->chunk->stride;
    /* The producer's own flag first: niri returns a buffer it could not render with size 0
     * and CORRUPTED, and says more by the flag than by the size. */
    if ((drop = flagged(buf)) != FRAME_OK)
        return drop;
    if (size == 0)
        return cursor_update(buf) ? FRAME_CURSOR_ONLY : FRAME_EMPTY;
    row_bytes = (uint64_t)fmt->width * fmt->bytes_per_pixel;
    if (stride <= 0 || (uint64_t)stride < row_bytes)
        return FRAME_BAD_STRIDE;
    needed = (uint64_t)stride * (fmt->height - 1) + row_bytes;
    /* A DMA-BUF's chunk size and maxsize say nothing of its bounds: niri writes 1 into both,
     * xdg-desktop-portal-wlr 9 where it has none (only "not empty" is meant). Its picture is the
     * negotiated one at the chunk's offset, held against the mapping below. */
    if (d->type != SPA_DATA_DmaBuf && (offset + size > d->maxsize || needed > size))
        return FRAME_OUT_OF_BOUNDS;
    f->width = fmt->width;
    f->height = fmt->height;
    f->format = fmt->format;
    f->stride = (uint32_t)stride;
    f->data_type = d->type;
    f->fd = (int)d->fd;
    f->offset = d->mapoffset + offset;
    f->modifier = fmt->modifier;
    read_metas(f, buf);
    if (!region)
        return d->type == SPA_DATA_DmaBuf ? FRAME_OK : FRAME_UNMAPPED;
    /* The mapping is ours and may be smaller than the producer claims maxsize is. */
    if (offset + needed > region_size)
        return FRAME_OUT_OF_BOUNDS;
    f->data = region + offset;
    f->bytes = needed;
    return FRAME_OK;
}
