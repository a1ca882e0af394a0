/* Frames in, H.264 out. The path (CPU, SHM -> CUDA, zero-copy) is chosen once from what the
 * machine has; a size change mid-stream restarts the encoder with an IDR and carries on.
 *
 * Two threads share the work. The PipeWire loop does only what needs the producer's buffer (the
 * conversion, on the CPU or the GPU) and hands the converted frame to a worker, which encodes it:
 * the buffer goes back at once, the loop converts the next frame while the worker encodes this
 * one, and a software encoder that falls behind costs dropped frames, counted, never a stalled
 * loop. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spa/buffer/buffer.h>

#include "capture.h"
#include "frame-queue.h"
#include "gpu.h"
#include "report.h"

/* Frames handed to the worker and not yet done, at most: the one being encoded and two behind
 * it. That rides out a slow frame at 60 fps and bounds the latency the queue adds to three
 * encodes. */
#define QUEUE_DEPTH 3

/* What a slot holds when the loop hands it over. */
enum slot_holds {
    SLOT_YUV, /* the frame converted out of the producer's buffer, on the CPU or the GPU */
    /* Converted on the GPU and left there: the encoder takes it (NVENC), or nothing encodes
     * (bench --encoder none), and copying it back would only be measured. */
    SLOT_GPU,
};

struct slot {
    enum slot_holds holds;
    struct yuv_image img;  /* SLOT_YUV behind a queue */
    struct yuv_image *yuv; /* SLOT_YUV: what to encode (img, or the pipeline's own) */
    bool keyframe, measured;
    uint64_t time_ns; /* its time in the container */
    uint64_t pts_ns;  /* the producer's stamp (CLOCK_MONOTONIC for the emulator), 0: none */
    uint64_t upload_ns, convert_ns; /* what the loop spent on it */
};

struct pipeline {
    const struct capture_options *o;
    struct capture_stats *st;
    struct session *s;
    struct cuda *cuda;
    struct gpu_import *import; /* DMA-BUF frames go this way when set */
    /* What EGL said of the GPU, asked once: asking again (eglTerminate) would end the display the
     * import uses. */
    struct gpu_info gpu_info;
    bool shm_again; /* auto's DMA-BUF import failed: the stream is made again, offering SHM */
    enum capture_path path;
    struct encoder enc;
    bool encoding, need_keyframe;
    struct yuv_image img; /* the loop's conversion where no worker runs (NVENC) */
    bool nv12;            /* the layout the encoder takes; NV12 when nothing encodes (bench) */
    uint8_t *uv;          /* NV12 chroma downloaded from the GPU, before it is split for I420 */
    uint8_t *copy;        /* --copy-only: where each frame is copied out of the producer's buffer */
    struct cuda_nv12 gpu;
    uint32_t width, height;
    /* The worker, and the slots it takes frames from. NULL where the loop does it all: --copy-only
     * (the copy is what is measured) and NVENC (its session and CUDA surface are the loop's, and
     * the GPU does the encoding anyway). */
    struct frame_queue *queue;
    struct slot slots[QUEUE_DEPTH];
    /* Written by the worker only; the loop reads them once the queue says it failed. */
    enum capture_stop failed_by;
    int failed_error;
    atomic_uint_fast64_t bytes_out; /* encoded so far, for the loop's progress line */
    struct stream_wake wake;        /* the worker's way to have the loop take buffers again */
    uint64_t superseded;            /* frames dropped for a newer one that waited behind them */
    uint64_t last_frame_ns, last_progress_ns, last_tick_ns, stop_at_ns;
    struct mux *mux; /* a container around the stream; NULL: raw, straight to out */
    bool mux_failed;
    bool clock_chosen;
    int64_t producer_offset_ns; /* producer's pts - arrival, for a frame that comes unstamped */
};

static const char *const path_names[] = {"auto", "zerocopy", "shm-cuda", "shm-cpu"};

const char *capture_path_name(enum capture_path path)
{
    return path_names[path];
}

int capture_path_parse(const char *text, enum capture_path *path)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(text, path_names[i]) == 0) {
            *path = (enum capture_path)i;
            return 0;
        }
    return -EINVAL;
}

static int write_out(void *data, const void *bytes, size_t size)
{
    const struct pipeline *p = data;

    if (p->mux)
        return mux_write(p->mux, bytes, size);
    return p->o->out ? output_write(p->o->out, bytes, size) : 0;
}

/* Zero-copy needs CUDA and an EGL display on the same GPU that imports DMA-BUFs. */
static int try_import(struct pipeline *p, struct pwzc_error *err)
{
    gpu_query(&p->gpu_info);
    if (!p->gpu_info.available)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP, "%s", p->gpu_info.reason);
    return gpu_import_open(&p->import, p->cuda, err);
}

/* CUDA where there is a GPU, zero-copy where it also imports DMA-BUFs; the CPU otherwise. */
static int choose_path(struct pipeline *p, struct pwzc_error *err)
{
    struct capture_stats *st = p->st;
    /* Why CUDA or the import cannot run: reasons for the summary, an error only if asked for. */
    struct pwzc_error no_cuda = {0}, no_import = {0};

    p->path = p->o->path;
    if (p->o->copy_only)
        p->path = PATH_SHM_CPU;
    if (p->path != PATH_SHM_CPU && cuda_open(&p->cuda, &no_cuda) < 0) {
        if (p->path != PATH_AUTO)
            return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV, "--path %s cannot run here: %s",
                             capture_path_name(p->path), no_cuda.message);
        snprintf(st->path_why, sizeof(st->path_why), "CPU conversion: no CUDA (%s)",
                 no_cuda.message);
        p->path = PATH_SHM_CPU;
    } else if (p->path == PATH_SHM_CPU) {
        snprintf(st->path_why, sizeof(st->path_why), "%s",
                 p->o->copy_only ? "SHM, each frame copied out once (no conversion)"
                                 : "CPU conversion, as asked");
    } else if ((p->path == PATH_ZEROCOPY || p->path == PATH_AUTO) &&
               try_import(p, &no_import) == 0) {
        snprintf(st->path_why, sizeof(st->path_why),
                 "DMA-BUF -> EGL -> CUDA on %s; SHM frames through CUDA uploads",
                 cuda_device_name(p->cuda));
        p->path = PATH_ZEROCOPY;
    } else if (p->path == PATH_ZEROCOPY) {
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                         "--path zerocopy cannot run here: %s", no_import.message);
    } else if (p->path == PATH_SHM_CUDA) {
        snprintf(st->path_why, sizeof(st->path_why),
                 "SHM -> CUDA upload and conversion (CUDA on %s), as asked",
                 cuda_device_name(p->cuda));
    } else {
        p->path = PATH_SHM_CUDA;
        snprintf(st->path_why, sizeof(st->path_why),
                 "SHM -> CUDA upload and conversion (CUDA on %s; no DMA-BUF import: %s)",
                 cuda_device_name(p->cuda), no_import.message);
    }
    snprintf(st->path, sizeof(st->path), "%s", capture_path_name(p->path));
    return 0;
}

/* What the path asks the producer for: DMA-BUF first when it can import them, SHM always. */
static void path_offer(const struct pipeline *p, struct offer *offer)
{
    if (p->path != PATH_ZEROCOPY) {
        offer_builtin("shm", NULL, offer);
        return;
    }
    offer_builtin(p->o->path == PATH_ZEROCOPY ? "dmabuf-gpu" : "dmabuf+shm", &p->gpu_info, offer);
}

static void close_encoder(struct pipeline *p)
{
    if (!p->encoding)
        return;
    encoder_flush(&p->enc);
    p->st->encoded += p->enc.frames;
    p->st->bytes += p->enc.bytes;
    encoder_close(&p->enc);
    p->encoding = false;
}

/* The container, once: the first size is the one it declares, and a new size later is an SPS
 * in the stream, as the encoder restarts with one. */
static int open_mux(struct pipeline *p, struct pwzc_error *err)
{
    struct mux_config c = {.container = p->o->container, .width = p->width, .height = p->height};
    int res;

    if (p->mux || p->o->container == MUX_RAW || !p->o->out)
        return 0;
    if ((c.fd = res = output_fd(p->o->out)) < 0 || (res = mux_open(&p->mux, &c)) < 0)
        return pwzc_fail(err, PWZC_EXIT_OUTPUT, res, "cannot write %s as %s: %s", p->o->out_name,
                         mux_container_name(c.container), strerror(-res));
    return 0;
}

static void free_images(struct pipeline *p)
{
    yuv_image_free(&p->img);
    free(p->uv);
    free(p->copy);
    p->uv = p->copy = NULL;
    if (p->cuda)
        cuda_nv12_free(p->cuda, &p->gpu);
    for (int i = 0; i < QUEUE_DEPTH; i++) {
        yuv_image_free(&p->slots[i].img);
        memset(&p->slots[i], 0, sizeof(p->slots[i]));
    }
}

/* The worker's frames done, and how it failed if it did: after this the loop may change what the
 * worker uses (a new size, a new encoder). */
static int drain(struct pipeline *p)
{
    return p->queue ? frame_queue_drain(p->queue) : 0;
}

static int finish_slot(void *data, uint32_t index);

/* A slot is free again: the loop may take the newest buffer that waited. */
static void wake_loop(void *data)
{
    struct pipeline *p = data;

    stream_wake(&p->wake);
}

/* A CPU encoder (or none: bench's capture + NV12) gets the worker; NVENC stays on the loop. */
static int start_worker(struct pipeline *p, struct pwzc_error *err)
{
    int res;

    if (p->queue || (p->encoding && !p->enc.ops->cpu_bound))
        return 0;
    if ((res = frame_queue_open(&p->queue, QUEUE_DEPTH, finish_slot, wake_loop, p)) < 0)
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, res, "cannot start the encoding thread: %s",
                         strerror(-res));
    return 0;
}

static int open_encoder(struct pipeline *p, struct pwzc_error *err)
{
    struct encoder_config c = {.width = p->width,
                               .height = p->height,
                               .cuda = p->cuda,
                               .fps = 60,
                               .bitrate = p->o->bitrate};
    struct capture_stats *st = p->st;
    int res;

    if (p->o->encoder == ENCODER_NONE) {
        snprintf(st->encoder, sizeof(st->encoder), "none");
        return 0;
    }
    if ((res = encoder_open(&p->enc, p->o->encoder, &c, write_out, p, err)) < 0)
        return res;
    snprintf(st->encoder, sizeof(st->encoder), "%s", encoder_name(&p->enc));
    snprintf(st->encoder_why, sizeof(st->encoder_why), "%s", p->enc.choice);
    p->encoding = true;
    return 0;
}

/* A new size: new images, and an encoder that starts with an IDR. */
static int configure(struct pipeline *p, uint32_t width, uint32_t height, struct pwzc_error *err)
{
    struct capture_stats *st = p->st;
    int res;

    if (drain(p) < 0)
        return -EIO; /* the worker failed: it said how */
    if (p->width)
        st->reconfigurations++;
    close_encoder(p);
    free_images(p);
    p->width = st->width = width;
    p->height = st->height = height;
    if ((res = open_mux(p, err)) < 0)
        return res;
    if (p->o->copy_only) {
        snprintf(st->encoder, sizeof(st->encoder), "none");
        snprintf(st->encoder_why, sizeof(st->encoder_why), "none: frames copied out only");
        return (p->copy = malloc((size_t)width * height * 4)) ? 0 : -ENOMEM;
    }
    if ((res = open_encoder(p, err)) < 0)
        return res;
    p->need_keyframe = true;
    p->nv12 = !p->encoding || p->enc.ops->wants_nv12;
    if ((res = yuv_image_alloc(&p->img, width, height, p->nv12)) < 0 ||
        (p->cuda && (res = cuda_nv12_alloc(p->cuda, &p->gpu, width, height)) < 0) ||
        (p->cuda && !(p->uv = malloc((size_t)(width + 1) / 2 * ((height + 1) / 2) * 2)) &&
         (res = -ENOMEM)))
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, res, "out of memory for %ux%u frames", width,
                         height);
    return start_worker(p, err);
}

/* NV12 from the GPU to I420 for openh264: the chroma planes split apart. */
static void nv12_to_i420(const uint8_t *uv, struct yuv_image *img)
{
    uint32_t cw = (img->width + 1) / 2, ch = (img->height + 1) / 2;

    for (uint32_t y = 0; y < ch; y++)
        for (uint32_t x = 0; x < cw; x++) {
            img->u[y * img->uv_stride + x] = uv[(y * cw + x) * 2];
            img->v[y * img->uv_stride + x] = uv[(y * cw + x) * 2 + 1];
        }
}

/* The GPU's NV12 back to the CPU, for an encoder that takes a CPU image (rarely what one wants).
 * A SLOT_GPU frame stays where it is. */
static int download(struct pipeline *p, struct slot *s)
{
    struct yuv_image *img = s->yuv;
    int res;

    if (s->holds == SLOT_GPU)
        return 0;
    if ((res = cuda_download_nv12(p->cuda, &p->gpu, img->y, img->nv12 ? img->u : p->uv)) < 0)
        return res;
    if (!img->nv12)
        nv12_to_i420(p->uv, img);
    return 0;
}

static int convert_gpu(struct pipeline *p, struct slot *s, const uint8_t *src, uint32_t stride,
                       uint32_t format)
{
    uint64_t t0 = pwzc_now_ns();
    bool pinned;
    int res;

    /* Synced between the halves, so that the copy and the kernel are timed apart. */
    if ((res = cuda_upload(p->cuda, src, stride, p->width, p->height, &pinned)) < 0 ||
        (res = cuda_sync(p->cuda)) < 0)
        return res;
    s->upload_ns = pwzc_now_ns() - t0;
    if ((res = cuda_convert(p->cuda, format, &p->gpu)) < 0)
        return res;
    return cuda_sync(p->cuda);
}

static int convert_dmabuf(struct pipeline *p, struct slot *s, const struct frame *f,
                          struct pwzc_error *err)
{
    struct dmabuf_plane plane = {.fd = f->fd,
                                 .offset = f->offset,
                                 .stride = f->stride,
                                 .modifier = f->modifier,
                                 .spa_format = f->format,
                                 .width = p->width,
                                 .height = p->height};
    int res;

    if ((res = gpu_import_convert(p->import, &plane, &p->gpu, err)) < 0)
        return res;
    if ((res = cuda_sync(p->cuda)) < 0)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, res,
                         "the conversion of an imported DMA-BUF failed");
    s->upload_ns = 0; /* nothing crosses the bus: the import is the whole of it */
    return 0;
}

/* Row by row where the stride has padding; one memcpy where it has none. */
static void copy_rows(uint8_t *dst, const uint8_t *src, uint32_t stride, uint32_t width,
                      uint32_t height)
{
    size_t row = (size_t)width * 4;

    if (stride == row) {
        memcpy(dst, src, row * height);
        return;
    }
    for (uint32_t y = 0; y < height; y++)
        memcpy(dst + y * row, src + (size_t)y * stride, row);
}

/* The frame's time in the file: the producer's own (the Header meta's pts) when it stamps its
 * frames, else when PipeWire handed it over. One clock for the whole file, chosen at the first
 * frame; an unstamped frame among stamped ones gets its arrival moved onto the producer's clock. */
static uint64_t frame_time_ns(struct pipeline *p, const struct frame *f, uint64_t t0)
{
    uint64_t arrival = f->dequeued_ns ? f->dequeued_ns : t0;
    bool stamped = f->has_header && f->pts_ns > 0;

    if (!p->clock_chosen) {
        p->clock_chosen = true;
        p->st->producer_times = stamped;
    }
    if (!p->st->producer_times)
        return arrival;
    if (stamped) {
        p->producer_offset_ns = f->pts_ns - (int64_t)arrival;
        return (uint64_t)f->pts_ns;
    }
    return (uint64_t)((int64_t)arrival + p->producer_offset_ns);
}

/* The slot's image, made at the first frame of a size (configure let go of the old ones). */
static int size_slot(struct pipeline *p, struct slot *s)
{
    if (s->holds == SLOT_YUV && p->queue && !s->img.y)
        return yuv_image_alloc(&s->img, p->width, p->height, p->nv12);
    return 0;
}

/* The loop's part: what needs the producer's buffer, which is the conversion. On the CPU it
 * costs about what copying the frame out would (1.0 ms a 1080p frame against a memcpy's 0.8,
 * 4.2 against 3.8 at 4K, with AVX2), so the buffer goes back as soon as after a copy, and the
 * frame is read once instead of twice. On the GPU the upload and kernel need the buffer too. */
/* 0, a negative errno, or 1 when the GPU would not import the DMA-BUF (import_err says why). */
static int fill_slot(struct pipeline *p, struct slot *s, const struct frame *f, const uint8_t *src,
                     bool zero_copy, struct pwzc_error *import_err)
{
    uint64_t t0 = pwzc_now_ns();
    bool gpu = zero_copy || p->cuda;
    int res;

    s->upload_ns = s->convert_ns = 0;
    s->holds = gpu && (!p->encoding || p->enc.ops->encode_cuda) ? SLOT_GPU : SLOT_YUV;
    s->yuv = p->queue ? &s->img : &p->img;
    if ((res = size_slot(p, s)) < 0)
        return res;
    if (!gpu)
        convert_rgb_to_yuv(src, f->stride, f->format, s->yuv);
    else if (zero_copy && convert_dmabuf(p, s, f, import_err) < 0)
        return 1;
    else if ((!zero_copy && (res = convert_gpu(p, s, src, f->stride, f->format)) < 0) ||
             (res = download(p, s)) < 0)
        return res;
    s->convert_ns = pwzc_now_ns() - t0 - s->upload_ns;
    return 0;
}

/* The GPU would not import a DMA-BUF (a driver without a DRM device, as on the H100 and H200
 * machines, answers EGL_BAD_ALLOC). Zero-copy asked for: that is the answer, exit 16 with the
 * import's reason. Chosen by auto: the stream is made again offering SHM only, for the SHM ->
 * CUDA path (a DMA-BUF with a GPU modifier cannot be read on the CPU), and the summary says why.
 * Either way this stream ends here. The worker needs no draining first: it only encodes slots
 * the loop filled, never the import or the producer's buffers, and the frames it has carry on
 * into the same encoder once SHM frames come. */
static int import_failed(struct pipeline *p, const char *why, struct pwzc_error *err)
{
    struct capture_stats *st = p->st;

    if (p->o->path == PATH_ZEROCOPY) {
        st->output_error =
            pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOTSUP,
                      "--path zerocopy cannot run here: the producer's DMA-BUF: %s", why);
        drain(p);
        st->stopped_by = STOP_ENCODER;
        return -1;
    }
    gpu_import_close(p->import);
    p->import = NULL;
    p->shm_again = true;
    p->path = PATH_SHM_CUDA;
    snprintf(st->path, sizeof(st->path), "%s", capture_path_name(p->path));
    snprintf(st->path_why, sizeof(st->path_why),
             "SHM -> CUDA upload and conversion (the first DMA-BUF did not import: %.300s; SHM "
             "asked for instead)",
             why);
    return -1;
}

static bool measuring(const struct pipeline *p, uint64_t t)
{
    return t >= p->st->start_ns + (uint64_t)p->o->warmup_ms * 1000000ull;
}

/* The stages the worker saw through, by the worker (by the loop without one). */
static void record_finished(struct pipeline *p, const struct slot *s, uint64_t encode_ns,
                            uint64_t t_done)
{
    struct capture_stats *st = p->st;

    if (!s->measured)
        return;
    /* The emulator stamps frames with CLOCK_MONOTONIC: the same clock, so this is latency, the
     * time in the queue included. */
    if (s->pts_ns && t_done > s->pts_ns)
        samples_add(&st->latency, t_done - s->pts_ns);
    if (p->cuda)
        samples_add(&st->upload, s->upload_ns);
    samples_add(&st->convert, s->convert_ns);
    if (p->encoding)
        samples_add(&st->encode, encode_ns);
}

static int encode_slot(struct pipeline *p, struct slot *s)
{
    if (!p->encoding)
        return 0;
    if (s->holds == SLOT_GPU)
        return p->enc.ops->encode_cuda(&p->enc, p->gpu.ptr, p->gpu.pitch, s->keyframe);
    return encoder_encode_image(&p->enc, s->yuv, s->keyframe);
}

/* The worker's part (the loop's, without a worker): the encoding and the container. */
static int finish_slot(void *data, uint32_t index)
{
    struct pipeline *p = data;
    struct slot *s = &p->slots[index];
    uint64_t t1 = pwzc_now_ns(), t2;
    int res = encode_slot(p, s);

    if (res == 0 && p->mux)
        p->mux_failed = (res = mux_frame(p->mux, s->time_ns)) < 0;
    t2 = pwzc_now_ns();
    if (res < 0) {
        p->failed_by = p->enc.write_error || p->mux_failed ? STOP_OUTPUT : STOP_ENCODER;
        p->failed_error = res;
        return res;
    }
    atomic_store(&p->bytes_out, p->st->bytes + p->enc.bytes);
    record_finished(p, s, t2 - t1, t2);
    return 0;
}

/* The crop a producer asks for (window capture), in even sizes: 4:2:0 halves them. */
static void effective_region(const struct frame *f, const uint8_t **src, uint32_t *w, uint32_t *h)
{
    uint32_t bpp = 4;

    *src = f->data;
    *w = f->width;
    *h = f->height;
    if (f->has_crop) {
        *src = f->data ? f->data + (size_t)f->crop_y * f->stride + (size_t)f->crop_x * bpp : NULL;
        *w = f->crop_width;
        *h = f->crop_height;
    }
    *w &= ~1u;
    *h &= ~1u;
}

static void progress(struct pipeline *p, uint64_t t)
{
    const struct capture_stats *st = p->st;
    double secs = (double)(t - st->start_ns) / 1e9;

    if (t - p->last_progress_ns < 500000000ull)
        return;
    p->last_progress_ns = t;
    report_progress(p->o->opts, "capture: %" PRIu64 " frames, %.1f fps, %.1f MB", st->frames,
                    secs > 0 ? (double)st->frames / secs : 0,
                    (double)atomic_load(&p->bytes_out) / 1e6);
}

static bool should_stop(struct pipeline *p, uint64_t t)
{
    if (p->o->frames && p->st->frames >= p->o->frames) {
        p->st->stopped_by = STOP_FRAMES;
        return true;
    }
    /* The duration runs from the first frame: before it, nothing has begun to run out. */
    if (p->o->duration_ms && p->st->first_frame_ns &&
        t >= p->st->first_frame_ns + (uint64_t)p->o->duration_ms * 1000000ull) {
        p->st->stopped_by = STOP_DURATION;
        return true;
    }
    return false;
}

/* What the loop measures of a frame it took: its arrival. */
static bool record_taken(struct pipeline *p, const struct frame *f, uint64_t t0)
{
    struct capture_stats *st = p->st;

    if (!measuring(p, t0)) {
        p->last_frame_ns = t0;
        return false;
    }
    if (p->last_frame_ns)
        samples_add(&st->interval, t0 - p->last_frame_ns);
    p->last_frame_ns = t0;
    if (!st->measured_from_ns) {
        st->measured_from_ns = t0;
        st->cpu_ns = metrics_cpu_ns();
    }
    st->measured_frames++;
    samples_add(&st->frame_times, t0 - st->start_ns);
    if (f->dequeued_ns && t0 >= f->dequeued_ns)
        samples_add(&st->dequeue, t0 - f->dequeued_ns);
    return true;
}

/* After every frame, taken or dropped: progress, the tick, and whether to stop. */
static int after_frame(struct pipeline *p)
{
    uint64_t t = pwzc_now_ns();

    progress(p, t);
    if (p->o->tick && t - p->last_tick_ns >= 200000000ull) {
        p->last_tick_ns = t;
        p->o->tick(p->o->tick_data);
    }
    return should_stop(p, t) ? -1 : 0;
}

/* The worker failed (or the loop's own encode did): stop, saying how. */
static int stop_failed(struct pipeline *p, enum capture_stop otherwise)
{
    drain(p);
    p->st->stopped_by = p->failed_by != STOP_NONE ? p->failed_by : otherwise;
    p->st->output_error = p->failed_error;
    return -1;
}

/* What a consumer that must hand the buffer back at once does: one copy out, and nothing else. */
static int copy_only(struct pipeline *p, const struct frame *f, const uint8_t *src, uint64_t t0)
{
    uint64_t t1;

    copy_rows(p->copy, src, f->stride, p->width, p->height);
    t1 = pwzc_now_ns();
    p->st->frames++;
    if (!record_taken(p, f, t0))
        return after_frame(p);
    samples_add(&p->st->copy, t1 - t0);
    if (f->has_header && f->pts_ns > 0 && t1 > (uint64_t)f->pts_ns)
        samples_add(&p->st->latency, t1 - (uint64_t)f->pts_ns);
    return after_frame(p);
}

struct sink_ctx {
    struct pipeline *p;
    struct pwzc_error *err;
};

/* While every slot is taken the buffers wait in PipeWire: the producer is not kept busy making
 * frames that could only be thrown away, and the frame taken next is the newest. */
static bool sink_ready(void *data)
{
    const struct sink_ctx *ctx = data;

    return !ctx->p->queue || !frame_queue_full(ctx->p->queue);
}

static void on_format(void *data, const struct frame_format *fmt)
{
    /* The size is taken from each frame (a crop can change it too): nothing to do yet. */
}

/* PipeWire takes a buffer back: CUDA's registration of its pages and its imported image go
 * with it. Left behind, the next buffer mapped at that address (or given that fd number) would be
 * read from the old pages: stale frames after every renegotiation. This runs on the loop, as the
 * conversions that use them do; the worker never sees a producer's buffer (it encodes the slot
 * the loop converted into, or nothing where the frame stays on the GPU), so it cannot race this. */
static void on_buffer_gone(void *data, const void *ptr, size_t size, int fd)
{
    struct pipeline *p = ((struct sink_ctx *)data)->p;

    if (p->cuda && ptr)
        cuda_unregister(p->cuda, ptr, size);
    gpu_import_forget(p->import, fd);
}

/* The slot this frame goes into: the queue's next free one, or NULL when the worker is behind
 * (the frame is dropped, and the queue counts it); the loop's own without a worker. */
static struct slot *take_slot(struct pipeline *p)
{
    int32_t i = p->queue ? frame_queue_acquire(p->queue) : 0;

    return i < 0 ? NULL : &p->slots[i];
}

/* The filled slot to the worker (encoded here where there is none), and the frame counted. */
static int hand_over(struct pipeline *p, struct slot *s, const struct frame *f, uint64_t t0)
{
    s->keyframe = p->need_keyframe;
    p->need_keyframe = false;
    s->measured = measuring(p, t0);
    s->time_ns = p->mux ? frame_time_ns(p, f, t0) : 0;
    s->pts_ns = f->has_header && f->pts_ns > 0 ? (uint64_t)f->pts_ns : 0;
    if (p->queue)
        frame_queue_submit(p->queue);
    else if (finish_slot(p, 0) < 0)
        return stop_failed(p, STOP_ENCODER);
    p->st->frames++;
    record_taken(p, f, t0);
    return after_frame(p);
}

static int on_frame(void *data, const struct frame *f, enum frame_drop *fate)
{
    struct sink_ctx *ctx = data;
    struct pipeline *p = ctx->p;
    uint64_t t0 = pwzc_now_ns();
    bool zero_copy = p->import && f->data_type == SPA_DATA_DmaBuf;
    const uint8_t *src;
    struct pwzc_error import_err = {0};
    struct slot *s;
    uint32_t w, h;
    int res;

    if (f->superseded) {
        p->superseded++;
        return after_frame(p);
    }
    effective_region(f, &src, &w, &h);
    /* Zero-copy imports the whole plane: a crop would move the image, not the buffer. */
    if (zero_copy) {
        w = f->width & ~1u;
        h = f->height & ~1u;
    }
    if ((!src && !zero_copy) || !convert_supported(f->format) || w == 0 || h == 0)
        return 0; /* nothing to read; the stream counted it */
    if (!p->st->first_frame_ns) {
        p->st->first_frame_ns = t0;
        if (p->o->duration_ms)
            p->stop_at_ns = t0 + (uint64_t)p->o->duration_ms * 1000000ull;
    }
    if (p->queue && frame_queue_error(p->queue) < 0)
        return stop_failed(p, STOP_ENCODER);
    if ((w != p->width || h != p->height) && configure(p, w, h, ctx->err) < 0)
        return stop_failed(p, STOP_ENCODER);
    if (p->o->copy_only)
        return copy_only(p, f, src, t0);
    if (!(s = take_slot(p)))
        return after_frame(p);
    /* An acquired slot left unfilled is no loss: the queue hands the same one out next. */
    if ((res = fill_slot(p, s, f, src, zero_copy, &import_err)) > 0) {
        *fate = FRAME_IMPORT_FAILED;
        return import_failed(p, import_err.message, ctx->err);
    }
    if (res < 0) {
        drain(p);
        p->st->stopped_by = STOP_ENCODER;
        p->st->output_error = res;
        return -1;
    }
    return hand_over(p, s, f, t0);
}

static const char *stop_name(enum capture_stop stop)
{
    static const char *const names[] = {
        [STOP_NONE] = "none",       [STOP_FRAMES] = "frames",       [STOP_DURATION] = "duration",
        [STOP_SIGNAL] = "signal",   [STOP_NO_FRAMES] = "no-frames", [STOP_PRODUCER] = "producer",
        [STOP_CLOSED] = "closed",   [STOP_DAEMON] = "daemon",       [STOP_OUTPUT] = "output",
        [STOP_ENCODER] = "encoder",
    };
    return names[stop];
}

/* How the stream ended, when the sink did not end it itself. */
static void why_stopped(struct capture_stats *st, int res, uint64_t stop_at_ns)
{
    if (st->stopped_by != STOP_NONE)
        return;
    if (stop_at_ns && st->end_ns >= stop_at_ns)
        st->stopped_by = STOP_DURATION;
    else if (res == -EINTR)
        st->stopped_by = STOP_SIGNAL;
    else if (res == -ECANCELED)
        st->stopped_by = STOP_CLOSED;
    else if (res == -EPIPE)
        st->stopped_by = STOP_DAEMON;
    else if (st->stream.producer_vanished)
        st->stopped_by = STOP_PRODUCER;
    else if (st->frames == 0) {
        st->stopped_by = STOP_NO_FRAMES;
        trace_verdict(&st->stream.trace, false, true, NULL, &st->verdict);
    }
}

static int report_stop(const struct capture_stats *st, const struct capture_options *o,
                       struct pwzc_error *err)
{
    switch (st->stopped_by) {
    case STOP_OUTPUT:
        return pwzc_fail(err, PWZC_EXIT_OUTPUT, st->output_error,
                         "writing %s: %s (%" PRIu64 " frames taken, what was written is valid)",
                         o->out_name, strerror(-st->output_error), st->frames);
    case STOP_NO_FRAMES:
        return pwzc_fail(
            err, PWZC_EXIT_NOT_WORKING, -ENODATA, "no frame within %.1f s: probe would say %s: %s",
            o->first_frame_ms / 1000.0, verdict_name(st->verdict.verdict), st->verdict.reason);
    case STOP_PRODUCER:
        return pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                         "the producer's node went away after %" PRIu64 " frames", st->frames);
    case STOP_CLOSED:
        return pwzc_fail(err, PWZC_EXIT_CLOSED, -ECANCELED,
                         "the compositor closed the screencast session after %" PRIu64 " frames",
                         st->frames);
    case STOP_DAEMON:
        return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
    case STOP_ENCODER:
        return err->exit_code ? -EIO
                              : pwzc_fail(err, PWZC_EXIT_INTERNAL, -EIO, "the encoder failed");
    case STOP_SIGNAL:
        /* After a frame a signal is how an open-ended capture ends; before one it cut it short. */
        return st->frames ? 0
                          : pwzc_fail(err, PWZC_EXIT_INTERRUPTED, -EINTR,
                                      "interrupted before the first frame: nothing written");
    default:
        return 0;
    }
}

/* After the encoder's last bytes: the container's last frame and index. A file that cannot be
 * finished is an output error, whatever else ended the capture. */
static void close_mux(struct pipeline *p)
{
    int res = mux_close(p->mux);

    p->mux = NULL;
    if (res < 0 && p->st->stopped_by != STOP_OUTPUT) {
        p->st->stopped_by = STOP_OUTPUT;
        p->st->output_error = res;
    }
}

/* The worker's last frames, however the stream ended: a signal still leaves every frame taken
 * encoded and the file whole. A worker that failed on the way says how the capture ended, unless
 * the loop already stopped for a failure of its own. */
static void finish_worker(struct pipeline *p)
{
    struct capture_stats *st = p->st;

    if (!p->queue)
        return;
    if (drain(p) < 0 && st->stopped_by != STOP_OUTPUT && st->stopped_by != STOP_ENCODER) {
        st->stopped_by = p->failed_by;
        st->output_error = p->failed_error;
    }
    st->queue_depth = frame_queue_depth(p->queue);
    st->queue_dropped = frame_queue_dropped(p->queue) + p->superseded;
}

static void pipeline_free(struct pipeline *p)
{
    frame_queue_close(p->queue);
    p->queue = NULL;
    close_encoder(p);
    free_images(p);
    gpu_import_close(p->import);
    if (p->cuda)
        cuda_close(p->cuda);
}

/* --reconnect: the daemon went away mid-capture. Wait for it, get a producer again, and go on
 * into the same output: the next frame starts with an IDR so that the file plays through. */
static int reconnect(struct pipeline *p, struct session *s, struct stream_options *so,
                     struct pwzc_error *err)
{
    uint64_t lost_at = pwzc_now_ns(), gap;
    int res;

    fprintf(stderr,
            "pwzc: the PipeWire daemon went away after %" PRIu64 " frames; waiting "
            "up to %.0f s for it (--reconnect)\n",
            p->st->frames, p->o->reconnect_ms / 1000.0);
    if ((res = session_reconnect(s, p->o->opts, p->o->reconnect_ms, err)) < 0)
        return res;
    gap = pwzc_now_ns() - lost_at;
    p->st->reconnects++;
    p->st->reconnect_gap_ns = SPA_MAX(p->st->reconnect_gap_ns, gap);
    p->need_keyframe = true;
    so->target_id = s->node_id;
    so->target_serial = s->serial;
    fprintf(stderr, "pwzc: reconnected after %.1f s; capturing node %u\n", (double)gap / 1e9,
            s->node_id);
    return 0;
}

int capture_run(struct session *s, const struct capture_options *o, struct capture_stats *st,
                struct pwzc_error *err)
{
    struct pipeline p = {.o = o, .st = st, .s = s};
    struct sink_ctx ctx = {.p = &p, .err = err};
    struct stream_sink sink = {.format = on_format,
                               .frame = on_frame,
                               .buffer_gone = on_buffer_gone,
                               .ready = sink_ready,
                               .data = &ctx};
    struct stream_options so = {.target_id = s->node_id,
                                .target_serial = s->serial,
                                .fixate_grace_ms = 150,
                                .until_stopped = true,
                                .first_frame_ms = o->first_frame_ms,
                                .stop_at_ns = &p.stop_at_ns,
                                .sink = &sink,
                                .wake = &p.wake};
    struct offer offer;
    int res;

    memset(st, 0, sizeof(*st));
    stream_wake_init(&p.wake);
    st->start_ns = pwzc_now_ns();
    st->container = o->container;
    /* A reader that goes away (-o - | head) is an EPIPE to report, not a signal to die of. */
    signal(SIGPIPE, SIG_IGN);
    if ((res = choose_path(&p, err)) < 0) {
        stream_wake_clear(&p.wake);
        return res;
    }
    path_offer(&p, &offer);
    for (;;) {
        res = stream_run(&s->conn, &s->reg, &offer, &so, &st->stream);
        if (p.shm_again && res == 0 && st->stopped_by == STOP_NONE) {
            p.shm_again = false;
            stream_result_clear(&st->stream);
            path_offer(&p, &offer);
            continue;
        }
        if (res != -EPIPE || !o->reconnect_ms || st->stopped_by != STOP_NONE)
            break;
        stream_result_clear(&st->stream);
        if (reconnect(&p, s, &so, err) < 0) {
            st->stopped_by = STOP_DAEMON;
            break;
        }
    }
    finish_worker(&p);
    st->end_ns = pwzc_now_ns();
    if (st->measured_from_ns)
        st->cpu_ns = metrics_cpu_ns() - st->cpu_ns;
    pipeline_free(&p);
    stream_wake_clear(&p.wake);
    close_mux(&p);
    report_progress(o->opts, NULL);
    why_stopped(st, res, p.stop_at_ns);
    if (st->stopped_by == STOP_DAEMON && err->exit_code)
        return -EPIPE; /* reconnect said why it gave up */
    return report_stop(st, o, err);
}

void capture_stats_clear(struct capture_stats *st)
{
    samples_clear(&st->interval);
    samples_clear(&st->dequeue);
    samples_clear(&st->copy);
    samples_clear(&st->frame_times);
    samples_clear(&st->upload);
    samples_clear(&st->convert);
    samples_clear(&st->encode);
    samples_clear(&st->latency);
    stream_result_clear(&st->stream);
}

struct json_object *capture_stats_json(const struct capture_stats *st)
{
    struct json_object *obj = json_object_new_object(), *stages = json_object_new_object();
    double secs = st->first_frame_ns ? (double)(st->end_ns - st->first_frame_ns) / 1e9 : 0;
    char size[32];

    json_object_object_add(obj, "frames", json_object_new_int64((int64_t)st->frames));
    json_object_object_add(obj, "encoded_frames", json_object_new_int64((int64_t)st->encoded));
    json_object_object_add(obj, "bytes", json_object_new_int64((int64_t)st->bytes));
    json_object_object_add(obj, "duration_s", json_object_new_double(secs));
    json_object_object_add(obj, "fps",
                           json_object_new_double(secs > 0 ? (double)st->frames / secs : 0));
    snprintf(size, sizeof(size), "%ux%u", st->width, st->height);
    json_object_object_add(obj, "size", st->width ? json_object_new_string(size) : NULL);
    json_object_object_add(obj, "reconfigurations", json_object_new_int((int)st->reconfigurations));
    json_object_object_add(obj, "path", json_object_new_string(st->path));
    json_object_object_add(obj, "path_why", json_object_new_string(st->path_why));
    json_object_object_add(obj, "encoder",
                           json_object_new_string(st->encoder[0] ? st->encoder : "none"));
    json_object_object_add(obj, "encoder_why", json_object_new_string(st->encoder_why));
    json_object_object_add(obj, "stopped_by", json_object_new_string(stop_name(st->stopped_by)));
    json_object_object_add(obj, "container",
                           json_object_new_string(mux_container_name(st->container)));
    json_object_object_add(
        obj, "timestamps",
        st->container == MUX_RAW || !st->encoded
            ? NULL
            : json_object_new_string(st->producer_times ? "producer" : "arrival"));
    json_object_object_add(obj, "reconnects", json_object_new_int((int)st->reconnects));
    json_object_object_add(
        obj, "reconnect_gap_ms",
        st->reconnects ? json_object_new_double((double)st->reconnect_gap_ns / 1e6) : NULL);
    json_object_object_add(stages, "dequeue", samples_json(&st->dequeue));
    json_object_object_add(stages, "copy", samples_json(&st->copy));
    json_object_object_add(stages, "upload", samples_json(&st->upload));
    json_object_object_add(stages, "convert", samples_json(&st->convert));
    json_object_object_add(stages, "encode", samples_json(&st->encode));
    json_object_object_add(obj, "stages", stages);
    json_object_object_add(obj, "frame_interval", samples_json(&st->interval));
    json_object_object_add(obj, "latency", samples_json(&st->latency));
    json_object_object_add(obj, "queue", capture_queue_json(st));
    json_object_object_add(obj, "stream", stream_result_json(&st->stream, false));
    return obj;
}

struct json_object *capture_queue_json(const struct capture_stats *st)
{
    struct json_object *obj;

    if (!st->queue_depth)
        return NULL;
    obj = json_object_new_object();
    json_object_object_add(obj, "depth", json_object_new_int((int)st->queue_depth));
    json_object_object_add(obj, "dropped", json_object_new_int64((int64_t)st->queue_dropped));
    return obj;
}
