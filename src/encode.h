/* H.264 encoders behind one interface: NVENC (loaded at run time) and openh264 (software). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "convert.h"
#include "error.h"

enum encoder_kind { ENCODER_AUTO, ENCODER_NVENC, ENCODER_SOFTWARE, ENCODER_NONE };

struct cuda;

struct encoder_config {
    uint32_t width, height;
    struct cuda *cuda; /* NVENC shares this context (NULL: it makes its own) */
    uint32_t fps;      /* the rate the stream is expected at: rate control needs one */
    uint32_t bitrate;  /* bits per second */
};

/* Receives Annex-B bytes (start codes included), in order. A negative errno stops encoding. */
typedef int (*encoder_write)(void *data, const void *bytes, size_t size);

struct encoder;

struct encoder_ops {
    const char *name;
    /* Fills e->detail (what runs) on success, err on failure. */
    int (*open)(struct encoder *e, struct pwzc_error *err);
    /* A CPU image (I420 for openh264, either layout for NVENC). */
    int (*encode_image)(struct encoder *e, const struct yuv_image *img, bool keyframe);
    /* An NV12 image already on the GPU (CUDA device pointer); NULL where unsupported. */
    int (*encode_cuda)(struct encoder *e, uint64_t nv12, size_t pitch, bool keyframe);
    int (*flush)(struct encoder *e);
    void (*close)(struct encoder *e);
    bool wants_nv12;
    /* The CPU does the encoding: capture runs it on a thread of its own. */
    bool cpu_bound;
};

struct encoder {
    const struct encoder_ops *ops;
    void *impl;
    struct encoder_config config;
    encoder_write write;
    void *write_data;
    uint64_t frames, bytes;
    int write_error; /* the first error the writer returned */
    char detail[160]; /* what the open encoder is: "openh264 1920x1080, 8000 kbit/s, 2 threads" */
    char choice[512]; /* which encoder runs and, for auto, why the others did not */
};

extern const struct encoder_ops encoder_openh264;
extern const struct encoder_ops encoder_nvenc;

/* Opens the kind asked for; ENCODER_AUTO tries NVENC, then software. e->choice says which
 * encoder runs and, for auto, why the others did not (e.g. "this GPU has no NVENC"). A negative
 * errno when none can run, err naming each failure (exit 16). */
int encoder_open(struct encoder *e, enum encoder_kind kind, const struct encoder_config *c,
                 encoder_write write, void *data, struct pwzc_error *err);
int encoder_encode_image(struct encoder *e, const struct yuv_image *img, bool keyframe);
int encoder_flush(struct encoder *e);
void encoder_close(struct encoder *e);
const char *encoder_name(const struct encoder *e);
/* Passes Annex-B bytes on and counts them; remembers the writer's first error. */
int encoder_emit(struct encoder *e, const void *bytes, size_t size);
