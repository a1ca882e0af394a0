/* Picking an encoder, and the bookkeeping every encoder shares. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "encode.h"

static int try_open(struct encoder *e, const struct encoder_ops *ops,
                    const struct encoder_config *c, encoder_write write, void *data,
                    struct pwzc_error *err)
{
    int res;

    memset(e, 0, sizeof(*e));
    e->ops = ops;
    e->config = *c;
    e->write = write;
    e->write_data = data;
    if ((res = ops->open(e, err)) < 0)
        e->ops = NULL;
    return res;
}

/* Each encoder's failure is kept apart: auto tells both, and a working fallback says why. */
int encoder_open(struct encoder *e, enum encoder_kind kind, const struct encoder_config *c,
                 encoder_write write, void *data, struct pwzc_error *err)
{
    struct pwzc_error nvenc = {0}, sw = {0};
    int res;

    if (kind == ENCODER_NVENC || kind == ENCODER_AUTO) {
        if ((res = try_open(e, &encoder_nvenc, c, write, data, &nvenc)) == 0) {
            snprintf(e->choice, sizeof(e->choice), "nvenc: %s", e->detail);
            return 0;
        }
        if (kind == ENCODER_NVENC)
            return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, res, "no encoder: %s", nvenc.message);
    }
    if ((res = try_open(e, &encoder_openh264, c, write, data, &sw)) == 0) {
        if (kind == ENCODER_AUTO)
            snprintf(e->choice, sizeof(e->choice),
                     "openh264 (software), because NVENC is not usable: %.400s", nvenc.message);
        else
            snprintf(e->choice, sizeof(e->choice), "openh264 (software): %s", e->detail);
        return 0;
    }
    if (kind == ENCODER_AUTO)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, res, "no encoder: NVENC: %s; openh264: %s",
                         nvenc.message, sw.message);
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, res, "no encoder: %s", sw.message);
}

int encoder_emit(struct encoder *e, const void *bytes, size_t size)
{
    int res;

    if (e->write_error)
        return e->write_error;
    if ((res = e->write(e->write_data, bytes, size)) < 0)
        return e->write_error = res;
    e->bytes += size;
    return 0;
}

int encoder_encode_image(struct encoder *e, const struct yuv_image *img, bool keyframe)
{
    int res = e->ops->encode_image(e, img, keyframe);

    if (res == 0)
        e->frames++;
    return e->write_error ? e->write_error : res;
}

int encoder_flush(struct encoder *e)
{
    int res = e->ops ? e->ops->flush(e) : 0;

    return e->write_error ? e->write_error : res;
}

void encoder_close(struct encoder *e)
{
    if (e->ops)
        e->ops->close(e);
    e->ops = NULL;
}

const char *encoder_name(const struct encoder *e)
{
    return e->ops ? e->ops->name : "none";
}
