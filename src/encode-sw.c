/* openh264: the software fallback, for machines without NVENC (every H100 and H200 among them).
 * Low-delay settings: no B-frames (openh264 has none), an IDR on demand, and a slice a core so
 * that openh264's own threads share a frame between the cores. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encode.h"

#ifdef HAVE_OPENH264
#include <wels/codec_api.h>

/* openh264 codes at most four slices at once (MAX_THREADS_NUM in its encoder). */
#define MAX_THREADS 4

/* A slice per thread: openh264 threads code slices, not rows, so one slice is one thread. The
 * price is a little compression at the slice edges (the loop filter stops there). */
static int threads(SEncParamExt *p)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;

    p->iMultipleThreadIdc = n;
    if (n > 1) {
        p->sSpatialLayers[0].sSliceArgument.uiSliceMode = SM_FIXEDSLCNUM_SLICE;
        p->sSpatialLayers[0].sSliceArgument.uiSliceNum = (unsigned)n;
    }
    return n;
}

static int sw_open(struct encoder *e, struct pwzc_error *err)
{
    ISVCEncoder *enc = NULL;
    SEncParamExt p;

    if (WelsCreateSVCEncoder(&enc) != 0 || !enc) {
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOMEM,
                         "openh264 could not create an encoder");
    }
    int quiet = WELS_LOG_QUIET;
    /* openh264 prints its parameter notes on stderr; pwzc's own report says what ran. */
    (*enc)->SetOption(enc, ENCODER_OPTION_TRACE_LEVEL, &quiet);
    (*enc)->GetDefaultParams(enc, &p);
    p.iUsageType = SCREEN_CONTENT_REAL_TIME;
    p.iPicWidth = (int)e->config.width;
    p.iPicHeight = (int)e->config.height;
    p.iTargetBitrate = (int)e->config.bitrate;
    p.iRCMode = RC_BITRATE_MODE;
    p.fMaxFrameRate = (float)(e->config.fps ? e->config.fps : 30);
    p.iSpatialLayerNum = 1;
    p.sSpatialLayers[0].iVideoWidth = p.iPicWidth;
    p.sSpatialLayers[0].iVideoHeight = p.iPicHeight;
    p.sSpatialLayers[0].fFrameRate = p.fMaxFrameRate;
    p.sSpatialLayers[0].iSpatialBitrate = p.iTargetBitrate;
    /* Every frame encoded: skipping frames would break the one-frame-in, one-frame-out count. */
    p.bEnableFrameSkip = false;
    p.bEnableAdaptiveQuant = false; /* not available for screen content anyway */
    p.bEnableBackgroundDetection = false;
    p.uiIntraPeriod = 0;
    int n = threads(&p);
    if ((*enc)->InitializeExt(enc, &p) != 0) {
        WelsDestroySVCEncoder(enc);
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -EINVAL, "openh264 refused %ux%u at %u bit/s",
                         e->config.width, e->config.height, e->config.bitrate);
    }
    int format = videoFormatI420;
    (*enc)->SetOption(enc, ENCODER_OPTION_DATAFORMAT, &format);
    e->impl = enc;
    snprintf(e->detail, sizeof(e->detail), "openh264 %ux%u, %u kbit/s, %d thread%s",
             e->config.width, e->config.height, e->config.bitrate / 1000, n, n == 1 ? "" : "s");
    return 0;
}

static int write_layers(struct encoder *e, const SFrameBSInfo *info)
{
    for (int l = 0; l < info->iLayerNum; l++) {
        const SLayerBSInfo *layer = &info->sLayerInfo[l];
        size_t size = 0;
        int res;
        for (int n = 0; n < layer->iNalCount; n++)
            size += (size_t)layer->pNalLengthInByte[n];
        if ((res = encoder_emit(e, layer->pBsBuf, size)) < 0)
            return res;
    }
    return 0;
}

static int sw_encode(struct encoder *e, const struct yuv_image *img, bool keyframe)
{
    ISVCEncoder *enc = e->impl;
    SSourcePicture pic = {0};
    SFrameBSInfo info = {0};

    if (img->nv12)
        return -EINVAL; /* openh264 takes I420 only: the caller converts to it */
    pic.iColorFormat = videoFormatI420;
    pic.iPicWidth = (int)img->width;
    pic.iPicHeight = (int)img->height;
    pic.iStride[0] = (int)img->y_stride;
    pic.iStride[1] = pic.iStride[2] = (int)img->uv_stride;
    pic.pData[0] = img->y;
    pic.pData[1] = img->u;
    pic.pData[2] = img->v;
    if (keyframe)
        (*enc)->ForceIntraFrame(enc, true);
    if ((*enc)->EncodeFrame(enc, &pic, &info) != cmResultSuccess)
        return -EIO;
    return info.eFrameType == videoFrameTypeSkip ? 0 : write_layers(e, &info);
}

static int sw_flush(struct encoder *e)
{
    return 0; /* openh264 has no delay: each frame comes out of EncodeFrame */
}

static void sw_close(struct encoder *e)
{
    ISVCEncoder *enc = e->impl;

    if (enc) {
        (*enc)->Uninitialize(enc);
        WelsDestroySVCEncoder(enc);
    }
    e->impl = NULL;
}
#else
static int sw_open(struct encoder *e, struct pwzc_error *err)
{
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                     "pwzc was built without openh264 (install libopenh264-dev)");
}

static int sw_encode(struct encoder *e, const struct yuv_image *img, bool keyframe)
{
    return -ENOTSUP;
}

static int sw_flush(struct encoder *e)
{
    return -ENOTSUP;
}

static void sw_close(struct encoder *e) {}
#endif

const struct encoder_ops encoder_openh264 = {
    .name = "openh264",
    .open = sw_open,
    .encode_image = sw_encode,
    .flush = sw_flush,
    .close = sw_close,
    .wants_nv12 = false,
    .cpu_bound = true,
};
