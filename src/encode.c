/* Picking an encoder, and the bookkeeping every encoder shares. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "encode.h"

static int try_open(struct encoder *e, const struct encoder_ops *ops,
                    const struct encoder_config *c, encoder_write write, void *data, char *why,
                    size_t why_size)
{
    int res;

    memset(e, 0, sizeof(*e));
    e->ops = ops;
    e->config = *c;
    e->write = write;
    e->write_data = data;
    if ((res = ops->open(e, why, why_size)) < 0)
        e->ops = NULL;
    return res;
}

int encoder_open(struct encoder *e, enum encoder_kind kind, const struct encoder_config *c,
                 encoder_write write, void *data, char *why, size_t why_size)
{
    char nvenc_why[256] = "", sw_why[256] = "";
    int res;

    if (kind == ENCODER_NVENC || kind == ENCODER_AUTO) {
        if ((res = try_open(e, &encoder_nvenc, c, write, data, nvenc_why, sizeof(nvenc_why))) ==
            0) {
            snprintf(why, why_size, "nvenc: %s", nvenc_why);
            return 0;
        }
        if (kind == ENCODER_NVENC) {
            snprintf(why, why_size, "%s", nvenc_why);
            return res;
        }
    }
    if ((res = try_open(e, &encoder_openh264, c, write, data, sw_why, sizeof(sw_why))) == 0) {
        if (kind == ENCODER_AUTO)
            snprintf(why, why_size, "openh264 (software), because NVENC is not usable: %s",
                     nvenc_why);
        else
            snprintf(why, why_size, "openh264 (software): %s", sw_why);
        return 0;
    }
    if (kind == ENCODER_AUTO)
        snprintf(why, why_size, "no encoder: NVENC: %s; openh264: %s", nvenc_why, sw_why);
    else
        snprintf(why, why_size, "%s", sw_why);
    return res;
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
