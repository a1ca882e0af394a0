/* A frame as a consumer may use it: the producer's chunk checked against its buffer first. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spa/buffer/buffer.h>

/* What became of a buffer that arrived: a frame, or why not (counted per fate, never read). */
enum frame_drop {
    FRAME_OK = 0,
    FRAME_EMPTY,         /* chunk size 0: the producer sent nothing new (damage-only) */
    FRAME_CURSOR_ONLY,   /* chunk size 0 with a cursor update: the pointer moved, not the picture */
    FRAME_CORRUPTED,     /* SPA_META_HEADER_FLAG_CORRUPTED, or chunk flag corrupted */
    FRAME_OUT_OF_BOUNDS, /* offset + size past maxsize, or the frame past the mapping */
    FRAME_BAD_STRIDE,    /* zero, negative, or smaller than a row */
    FRAME_UNMAPPED,      /* no memory to read (a DMA-BUF we could not map) */
    FRAME_IMPORT_FAILED, /* a DMA-BUF the GPU path could not import (the sink says so) */
    FRAME_UNREADABLE,    /* libpipewire mapped it for the client without read permission */
    FRAME_HELD_BY_CLOCK, /* a client paced by its stream clock held it: the clock was behind */
    FRAME_DROP_REASONS,
};

const char *frame_drop_name(enum frame_drop reason);
/* Not a drop but "nothing new": a damage-driven producer's empty or cursor-only buffer. */
bool frame_fate_is_idle(enum frame_drop fate);
/* A sound frame the producer sent that went unused: dropped for a reason, not idle, and not
 * the client's own pacing (held by its clock). */
bool frame_fate_is_drop(enum frame_drop fate);

/* What the Format said the frames are. */
struct frame_format {
    uint32_t format; /* spa_video_format */
    uint32_t width, height;
    uint32_t bytes_per_pixel;
    uint64_t modifier;
    bool has_modifier;
};

struct frame {
    const uint8_t *data; /* first byte of the first row, inside the mapping */
    size_t bytes;        /* readable from data on: stride x (height - 1) + one row, no more */
    uint32_t stride;
    uint32_t width, height, format;
    uint32_t data_type; /* SPA_DATA_* */
    int fd;             /* for DmaBuf: the fd (mapping sync, EGL import) */
    uint64_t offset;    /* of the first row inside the fd */
    uint64_t modifier;
    bool has_header;
    uint32_t seq; /* from SPA_META_Header */
    int64_t pts_ns;
    bool has_crop;
    int32_t crop_x, crop_y;
    uint32_t crop_width, crop_height;
    uint32_t damage_regions; /* 0: no damage meta, or the whole frame */
    uint64_t dequeued_ns;    /* CLOCK_MONOTONIC when PipeWire handed us the buffer */
    /* The stream's clock then, as a client driven by it reads it (GStreamer's pipewireclock):
     * pw_stream_get_time_n's ticks plus the time since they were read. */
    uint64_t clock_ns;
    /* A newer frame waited behind this one while the sink was not ready: the sink drops this
     * one (it still counts as a frame that arrived). */
    bool superseded;
};

/* Checks the first data block of `buf` against `fmt` and against what we really have mapped of
 * it: `region` is its byte 0 (the start of maxsize), `region_size` how many bytes from there are
 * readable. Fills `f`; never reads the pixels. A DmaBuf may come unmapped (region NULL): the GPU
 * path imports it by fd. */
enum frame_drop frame_check(struct frame *f, const struct spa_buffer *buf,
                            const struct frame_format *fmt, const uint8_t *region,
                            size_t region_size);
