/* NVENC through ffnvcodec's run-time loader: H.264, low-latency preset, CUDA input, Annex-B out.
 * Each way it can fail has its own sentence: users see these on data-centre GPUs (no NVENC),
 * on old drivers, and on consumer GPUs at their session limit. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "gpu.h"

#ifdef HAVE_FFNVCODEC
#define FFNV_LOG_FUNC(logctx, msg, ...)       ((void)0)
#define FFNV_DEBUG_LOG_FUNC(logctx, msg, ...) ((void)0)
#include <ffnvcodec/dynlink_loader.h>

#define MAX_RESOURCES 8

struct nvenc {
    NvencFunctions *lib;
    NV_ENCODE_API_FUNCTION_LIST api;
    void *session;
    struct cuda *cuda;
    bool own_cuda;
    NV_ENC_OUTPUT_PTR bitstream;
    struct cuda_nv12 upload; /* CPU images go through here */
    struct {
        uint64_t ptr;
        NV_ENC_REGISTERED_PTR handle;
    } resources[MAX_RESOURCES];
};

static const char *status_text(NVENCSTATUS s)
{
    switch (s) {
    case NV_ENC_ERR_UNSUPPORTED_DEVICE:
        return "this GPU has no NVENC (NV_ENC_ERR_UNSUPPORTED_DEVICE)";
    case NV_ENC_ERR_NO_ENCODE_DEVICE:
        return "no NVENC-capable device (NV_ENC_ERR_NO_ENCODE_DEVICE)";
    case NV_ENC_ERR_OUT_OF_MEMORY:
        return "out of encoder sessions or memory (NV_ENC_ERR_OUT_OF_MEMORY): consumer GPUs "
               "allow only a few sessions at once";
    case NV_ENC_ERR_INVALID_VERSION:
        return "the driver does not speak this NVENC API version (NV_ENC_ERR_INVALID_VERSION)";
    case NV_ENC_ERR_UNSUPPORTED_PARAM:
        return "a parameter is not supported by this encoder (NV_ENC_ERR_UNSUPPORTED_PARAM)";
    default:
        return "NVENC error";
    }
}

static int fail(struct pwzc_error *err, const char *what, NVENCSTATUS s)
{
    int res =
        s == NV_ENC_ERR_UNSUPPORTED_DEVICE || s == NV_ENC_ERR_NO_ENCODE_DEVICE ? -ENODEV : -EIO;

    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, res, "%s: %s (%d)", what, status_text(s), (int)s);
}

static int load(struct nvenc *n, struct pwzc_error *err)
{
    uint32_t max = 0;
    NVENCSTATUS s;

    if (nvenc_load_functions(&n->lib, NULL) < 0) {
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOENT,
                         "no libnvidia-encode.so.1 (the NVIDIA driver's encoder library)");
    }
    if ((s = n->lib->NvEncodeAPIGetMaxSupportedVersion(&max)) != NV_ENC_SUCCESS)
        return fail(err, "NvEncodeAPIGetMaxSupportedVersion", s);
    /* The driver's maximum is (major << 4) | minor; ours must not be newer. */
    if (max < ((NVENCAPI_MAJOR_VERSION << 4) | NVENCAPI_MINOR_VERSION)) {
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                         "the driver is too old for NVENC API %d.%d (it supports up to %u.%u): "
                         "update the NVIDIA driver",
                         NVENCAPI_MAJOR_VERSION, NVENCAPI_MINOR_VERSION, max >> 4, max & 0xf);
    }
    n->api.version = NV_ENCODE_API_FUNCTION_LIST_VER;
    if ((s = n->lib->NvEncodeAPICreateInstance(&n->api)) != NV_ENC_SUCCESS)
        return fail(err, "NvEncodeAPICreateInstance", s);
    return 0;
}

static int open_session(struct nvenc *n, struct pwzc_error *err)
{
    NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS params = {
        .version = NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER,
        .deviceType = NV_ENC_DEVICE_TYPE_CUDA,
        .device = cuda_context(n->cuda),
        .apiVersion = NVENCAPI_VERSION,
    };
    NVENCSTATUS s = n->api.nvEncOpenEncodeSessionEx(&params, &n->session);

    if (s != NV_ENC_SUCCESS) {
        n->session = NULL;
        return fail(err, cuda_device_name(n->cuda), s);
    }
    return 0;
}

static int initialize(struct nvenc *n, const struct encoder_config *c, struct pwzc_error *err)
{
    NV_ENC_PRESET_CONFIG preset = {.version = NV_ENC_PRESET_CONFIG_VER,
                                   .presetCfg = {.version = NV_ENC_CONFIG_VER}};
    NV_ENC_CONFIG cfg;
    NV_ENC_INITIALIZE_PARAMS init = {
        .version = NV_ENC_INITIALIZE_PARAMS_VER,
        .encodeGUID = NV_ENC_CODEC_H264_GUID,
        .presetGUID = NV_ENC_PRESET_P1_GUID,
        .tuningInfo = NV_ENC_TUNING_INFO_LOW_LATENCY,
        .encodeWidth = c->width,
        .encodeHeight = c->height,
        .darWidth = c->width,
        .darHeight = c->height,
        .frameRateNum = c->fps ? c->fps : 30,
        .frameRateDen = 1,
        .enablePTD = 1,
    };
    NV_ENC_CREATE_BITSTREAM_BUFFER bs = {.version = NV_ENC_CREATE_BITSTREAM_BUFFER_VER};
    NVENCSTATUS s;

    s = n->api.nvEncGetEncodePresetConfigEx(n->session, init.encodeGUID, init.presetGUID,
                                            init.tuningInfo, &preset);
    if (s != NV_ENC_SUCCESS)
        return fail(err, "nvEncGetEncodePresetConfigEx", s);
    cfg = preset.presetCfg;
    cfg.gopLength = NVENC_INFINITE_GOPLENGTH; /* IDRs on demand: a new size, a first frame */
    cfg.frameIntervalP = 1;                   /* no B-frames: one frame in, one frame out */
    cfg.rcParams.rateControlMode = NV_ENC_PARAMS_RC_CBR;
    cfg.rcParams.averageBitRate = c->bitrate;
    cfg.encodeCodecConfig.h264Config.idrPeriod = NVENC_INFINITE_GOPLENGTH;
    cfg.encodeCodecConfig.h264Config.repeatSPSPPS = 1;
    init.encodeConfig = &cfg;
    if ((s = n->api.nvEncInitializeEncoder(n->session, &init)) != NV_ENC_SUCCESS)
        return fail(err, "nvEncInitializeEncoder", s);
    if ((s = n->api.nvEncCreateBitstreamBuffer(n->session, &bs)) != NV_ENC_SUCCESS)
        return fail(err, "nvEncCreateBitstreamBuffer", s);
    n->bitstream = bs.bitstreamBuffer;
    return 0;
}

static void nv_close(struct encoder *e);

static int nv_open(struct encoder *e, struct pwzc_error *err)
{
    struct nvenc *n = calloc(1, sizeof(*n));
    int res;

    if (!n)
        return -ENOMEM;
    e->impl = n;
    n->cuda = e->config.cuda;
    if (!n->cuda) {
        if ((res = cuda_open(&n->cuda, err)) < 0)
            goto fail;
        n->own_cuda = true;
    }
    if ((res = load(n, err)) < 0 || (res = open_session(n, err)) < 0 ||
        (res = initialize(n, &e->config, err)) < 0)
        goto fail;
    snprintf(e->detail, sizeof(e->detail), "NVENC H.264 on %s, %ux%u, %u kbit/s",
             cuda_device_name(n->cuda), e->config.width, e->config.height,
             e->config.bitrate / 1000);
    return 0;
fail:
    nv_close(e);
    return res;
}

static NV_ENC_REGISTERED_PTR registered(struct nvenc *n, uint64_t ptr, size_t pitch,
                                        const struct encoder_config *c)
{
    NV_ENC_REGISTER_RESOURCE reg = {
        .version = NV_ENC_REGISTER_RESOURCE_VER,
        .resourceType = NV_ENC_INPUT_RESOURCE_TYPE_CUDADEVICEPTR,
        .width = c->width,
        .height = c->height,
        .pitch = (uint32_t)pitch,
        .resourceToRegister = (void *)(uintptr_t)ptr,
        .bufferFormat = NV_ENC_BUFFER_FORMAT_NV12,
        .bufferUsage = NV_ENC_INPUT_IMAGE,
    };
    int i;

    for (i = 0; i < MAX_RESOURCES && n->resources[i].ptr; i++)
        if (n->resources[i].ptr == ptr)
            return n->resources[i].handle;
    if (i == MAX_RESOURCES || n->api.nvEncRegisterResource(n->session, &reg) != NV_ENC_SUCCESS)
        return NULL;
    n->resources[i].ptr = ptr;
    n->resources[i].handle = reg.registeredResource;
    return reg.registeredResource;
}

static int emit_bitstream(struct encoder *e, struct nvenc *n)
{
    NV_ENC_LOCK_BITSTREAM lock = {.version = NV_ENC_LOCK_BITSTREAM_VER,
                                  .outputBitstream = n->bitstream};
    int res;

    if (n->api.nvEncLockBitstream(n->session, &lock) != NV_ENC_SUCCESS)
        return -EIO;
    res = encoder_emit(e, lock.bitstreamBufferPtr, lock.bitstreamSizeInBytes);
    n->api.nvEncUnlockBitstream(n->session, n->bitstream);
    return res;
}

static int nv_encode_cuda(struct encoder *e, uint64_t nv12, size_t pitch, bool keyframe)
{
    struct nvenc *n = e->impl;
    NV_ENC_MAP_INPUT_RESOURCE map = {.version = NV_ENC_MAP_INPUT_RESOURCE_VER};
    NV_ENC_PIC_PARAMS pic = {.version = NV_ENC_PIC_PARAMS_VER};
    NVENCSTATUS s;
    int res;

    if (!(map.registeredResource = registered(n, nv12, pitch, &e->config)) ||
        n->api.nvEncMapInputResource(n->session, &map) != NV_ENC_SUCCESS)
        return -EIO;
    pic.inputWidth = e->config.width;
    pic.inputHeight = e->config.height;
    pic.inputPitch = (uint32_t)pitch;
    pic.inputBuffer = map.mappedResource;
    pic.bufferFmt = map.mappedBufferFmt;
    pic.outputBitstream = n->bitstream;
    pic.pictureStruct = NV_ENC_PIC_STRUCT_FRAME;
    pic.encodePicFlags = keyframe ? NV_ENC_PIC_FLAG_FORCEIDR | NV_ENC_PIC_FLAG_OUTPUT_SPSPPS : 0;
    s = n->api.nvEncEncodePicture(n->session, &pic);
    res = s == NV_ENC_SUCCESS ? emit_bitstream(e, n) : -EIO;
    n->api.nvEncUnmapInputResource(n->session, map.mappedResource);
    return res;
}

static int nv_encode_image(struct encoder *e, const struct yuv_image *img, bool keyframe)
{
    struct nvenc *n = e->impl;
    int res;

    if (!img->nv12)
        return -EINVAL;
    if (!n->upload.ptr && (res = cuda_nv12_alloc(n->cuda, &n->upload, img->width, img->height)) < 0)
        return res;
    if ((res = cuda_upload_nv12(n->cuda, img, &n->upload)) < 0)
        return res;
    return nv_encode_cuda(e, n->upload.ptr, n->upload.pitch, keyframe);
}

static int nv_flush(struct encoder *e)
{
    struct nvenc *n = e->impl;
    NV_ENC_PIC_PARAMS pic = {.version = NV_ENC_PIC_PARAMS_VER,
                             .encodePicFlags = NV_ENC_PIC_FLAG_EOS};

    return n->api.nvEncEncodePicture(n->session, &pic) == NV_ENC_SUCCESS ? 0 : -EIO;
}

static void nv_close(struct encoder *e)
{
    struct nvenc *n = e->impl;

    if (!n)
        return;
    if (n->session) {
        for (int i = 0; i < MAX_RESOURCES && n->resources[i].ptr; i++)
            n->api.nvEncUnregisterResource(n->session, n->resources[i].handle);
        if (n->bitstream)
            n->api.nvEncDestroyBitstreamBuffer(n->session, n->bitstream);
        n->api.nvEncDestroyEncoder(n->session);
    }
    if (n->cuda)
        cuda_nv12_free(n->cuda, &n->upload);
    if (n->own_cuda)
        cuda_close(n->cuda);
    nvenc_free_functions(&n->lib);
    free(n);
    e->impl = NULL;
}
#else
static int nv_open(struct encoder *e, struct pwzc_error *err)
{
    return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                     "pwzc was built without the NVENC headers (libffmpeg-nvenc-dev)");
}

static int nv_encode_image(struct encoder *e, const struct yuv_image *img, bool keyframe)
{
    return -ENOTSUP;
}

static int nv_encode_cuda(struct encoder *e, uint64_t nv12, size_t pitch, bool keyframe)
{
    return -ENOTSUP;
}

static int nv_flush(struct encoder *e)
{
    return -ENOTSUP;
}

static void nv_close(struct encoder *e) {}
#endif

const struct encoder_ops encoder_nvenc = {
    .name = "nvenc",
    .open = nv_open,
    .encode_image = nv_encode_image,
    .encode_cuda = nv_encode_cuda,
    .flush = nv_flush,
    .close = nv_close,
    .wants_nv12 = true,
};
