/* H.264 into MP4 or Matroska through libavformat: the encoder's access units copied as they are,
 * timed by the frames' own clock, the colour declared as convert.c makes it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert.h"
#include "mux.h"

enum mux_container mux_container_for(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (!dot || strchr(dot, '/'))
        return MUX_RAW;
    if (strcasecmp(dot, ".mp4") == 0)
        return MUX_MP4;
    if (strcasecmp(dot, ".mkv") == 0)
        return MUX_MKV;
    return MUX_RAW;
}

const char *mux_container_name(enum mux_container container)
{
    static const char *const names[] = {"h264", "mp4", "matroska"};

    return names[container];
}

#ifdef HAVE_LIBAVFORMAT
#include "libav.h"

/* libavformat 61 (FFmpeg 7) made the write callback's buffer const. */
#if LIBAVFORMAT_VERSION_MAJOR >= 61
typedef const uint8_t avio_bytes;
#else
typedef uint8_t avio_bytes;
#endif

#define IO_BUFFER_BYTES (64 * 1024)
#define NAL_IDR         5
#define NAL_SPS         7
#define NAL_PPS         8

struct mux {
    const struct libav *av;
    struct mux_config config;
    AVFormatContext *fmt;
    AVStream *stream;
    uint8_t *frame; /* the access unit being encoded */
    size_t frame_bytes, frame_cap;
    AVPacket *held; /* the last one: written when the next gives its duration */
    uint64_t first_ns, last_ns;
    int64_t last_duration; /* in the stream's time base */
    bool started;
};

bool mux_available(enum mux_container container, const char **why)
{
    return container == MUX_RAW || libav_load(why);
}

/* libavformat's errors are negative errnos, except its own tags (AVERROR_INVALIDDATA, ...). */
static int to_errno(int averror)
{
    return averror > -4096 ? averror : -EIO;
}

static int write_fd(void *opaque, avio_bytes *buf, int size)
{
    const struct mux *m = opaque;
    int done = 0;

    while (done < size) {
        ssize_t n = write(m->config.fd, buf + done, (size_t)(size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return AVERROR(errno);
        done += (int)n;
    }
    return size;
}

static int64_t seek_fd(void *opaque, int64_t offset, int whence)
{
    const struct mux *m = opaque;
    struct stat st;
    off_t at;

    if (whence & AVSEEK_SIZE)
        return fstat(m->config.fd, &st) == 0 ? st.st_size : AVERROR(errno);
    at = lseek(m->config.fd, offset, whence & ~AVSEEK_FORCE);
    return at < 0 ? AVERROR(errno) : at;
}

/* The file is written through capture's own fd, opened as capture opens any output. MP4 goes
 * back to its start to size the mdat box: a pipe cannot take it (av_write_header says so). */
static int open_io(struct mux *m)
{
    uint8_t *buffer = m->av->av_malloc(IO_BUFFER_BYTES);
    bool seekable = lseek(m->config.fd, 0, SEEK_CUR) >= 0;

    if (!buffer)
        return -ENOMEM;
    m->fmt->pb = m->av->avio_alloc_context(buffer, IO_BUFFER_BYTES, 1, m, NULL, write_fd,
                                           seekable ? seek_fd : NULL);
    if (!m->fmt->pb) {
        m->av->av_free(buffer);
        return -ENOMEM;
    }
    return 0;
}

/* convert.c's matrix and range; the RGB a screen gives is sRGB (BT.709 primaries). */
static void describe_colour(AVCodecParameters *par)
{
    par->color_space =
        convert_colour.matrix == CONVERT_MATRIX_BT601 ? AVCOL_SPC_SMPTE170M : AVCOL_SPC_BT709;
    par->color_range = convert_colour.full_range ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    par->color_primaries = AVCOL_PRI_BT709;
    par->color_trc = AVCOL_TRC_IEC61966_2_1;
    par->chroma_location = convert_colour.chroma_centre ? AVCHROMA_LOC_CENTER : AVCHROMA_LOC_LEFT;
}

static int add_stream(struct mux *m)
{
    AVCodecParameters *par;

    if (!(m->stream = m->av->avformat_new_stream(m->fmt, NULL)))
        return -ENOMEM;
    par = m->stream->codecpar;
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->codec_id = AV_CODEC_ID_H264;
    par->width = (int)m->config.width;
    par->height = (int)m->config.height;
    par->format = AV_PIX_FMT_YUV420P;
    describe_colour(par);
    /* 90 kHz, video's customary clock; Matroska keeps milliseconds whatever is asked. */
    m->stream->time_base = (AVRational){1, 90000};
    return 0;
}

int mux_open(struct mux **out, const struct mux_config *config)
{
    struct mux *m = calloc(1, sizeof(*m));
    int res;

    *out = NULL;
    if (!m)
        return -ENOMEM;
    if (!(m->av = libav_load(NULL))) {
        free(m);
        return -ENOTSUP; /* mux_available said why */
    }
    m->config = *config;
    res = m->av->avformat_alloc_output_context2(&m->fmt, NULL,
                                                mux_container_name(config->container), NULL);
    if (res < 0 || (res = add_stream(m)) < 0 || (res = open_io(m)) < 0) {
        mux_close(m);
        return res < 0 ? to_errno(res) : -ENOMEM;
    }
    *out = m;
    return 0;
}

int mux_write(struct mux *m, const void *bytes, size_t size)
{
    if (m->frame_bytes + size > m->frame_cap) {
        size_t cap = (m->frame_bytes + size) * 2;
        uint8_t *grown = realloc(m->frame, cap);
        if (!grown)
            return -ENOMEM;
        m->frame = grown;
        m->frame_cap = cap;
    }
    memcpy(m->frame + m->frame_bytes, bytes, size);
    m->frame_bytes += size;
    return 0;
}

/* The NAL unit after *pos in an Annex-B buffer: where it starts (after its start code) and its
 * length, without the zeros that lead into the next start code. */
static bool next_nal(const uint8_t *b, size_t size, size_t *pos, size_t *start, size_t *len)
{
    size_t i = *pos;

    while (i + 3 <= size && !(b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1))
        i++;
    if (i + 3 > size)
        return false;
    *start = i + 3;
    for (i = *start; i + 3 <= size && !(b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1); i++)
        ;
    if (i + 3 > size)
        i = size;
    *len = i - *start;
    while (i<size && * len> 0 && b[*start + *len - 1] == 0)
        (*len)--;
    *pos = i;
    return true;
}

static bool has_nal(const uint8_t *b, size_t size, int type)
{
    size_t pos = 0, start, len;

    while (next_nal(b, size, &pos, &start, &len))
        if (len > 0 && (b[start] & 0x1f) == type)
            return true;
    return false;
}

/* The first frame's SPS and PPS, still Annex-B: both muxers turn that into their avcC. */
static int parameter_sets(const struct mux *m, const uint8_t *b, size_t size,
                          AVCodecParameters *par)
{
    static const uint8_t start_code[4] = {0, 0, 0, 1};
    size_t pos = 0, start, len, used = 0;
    /* A start code of three bytes becomes four: at most one more byte per three. */
    uint8_t *sets = m->av->av_mallocz(size * 2 + AV_INPUT_BUFFER_PADDING_SIZE);

    if (!sets)
        return -ENOMEM;
    while (next_nal(b, size, &pos, &start, &len)) {
        int type = len > 0 ? b[start] & 0x1f : 0;
        if (type != NAL_SPS && type != NAL_PPS)
            continue;
        memcpy(sets + used, start_code, sizeof(start_code));
        memcpy(sets + used + sizeof(start_code), b + start, len);
        used += sizeof(start_code) + len;
    }
    if (!has_nal(b, size, NAL_SPS) || !has_nal(b, size, NAL_PPS)) {
        m->av->av_free(sets);
        return -EPROTO; /* both encoders put them before every IDR, the first frame's too */
    }
    par->extradata = sets;
    par->extradata_size = (int)used;
    return 0;
}

static int start(struct mux *m)
{
    int res;

    if ((res = parameter_sets(m, m->frame, m->frame_bytes, m->stream->codecpar)) < 0)
        return res;
    if ((res = m->av->avformat_write_header(m->fmt, NULL)) < 0)
        return to_errno(res);
    m->started = true;
    return 0;
}

static int write_held(struct mux *m, int64_t duration)
{
    int res;

    m->held->duration = duration;
    res = m->av->av_write_frame(m->fmt, m->held);
    m->av->av_packet_free(&m->held);
    return res < 0 ? to_errno(res) : 0;
}

/* From the first frame on, in the stream's time base. Muxers take only increasing times: a
 * clock that steps back (a new producer after --reconnect) or two frames within one tick
 * (Matroska counts milliseconds) move on by one tick. */
static int64_t stream_time(const struct mux *m, uint64_t pts_ns)
{
    int64_t t = 0;

    if (pts_ns > m->first_ns)
        t = m->av->av_rescale_q((int64_t)(pts_ns - m->first_ns), (AVRational){1, 1000000000},
                                m->stream->time_base);
    if (m->held && t <= m->held->pts)
        t = m->held->pts + 1;
    return t;
}

static int hold(struct mux *m, AVPacket *pkt)
{
    int res = 0;

    if (m->held) {
        m->last_duration = pkt->pts - m->held->pts;
        res = write_held(m, m->last_duration);
    }
    m->held = pkt;
    return res;
}

int mux_frame(struct mux *m, uint64_t pts_ns)
{
    AVPacket *pkt;
    int res;

    if (m->frame_bytes == 0)
        return 0; /* the encoder skipped it: nothing to time */
    if (!m->started) {
        if ((res = start(m)) < 0)
            return res;
        m->first_ns = pts_ns;
    }
    if (!(pkt = m->av->av_packet_alloc()) || m->av->av_new_packet(pkt, (int)m->frame_bytes) < 0) {
        m->av->av_packet_free(&pkt);
        return -ENOMEM;
    }
    memcpy(pkt->data, m->frame, m->frame_bytes);
    pkt->pts = pkt->dts = stream_time(m, pts_ns);
    if (has_nal(m->frame, m->frame_bytes, NAL_IDR))
        pkt->flags |= AV_PKT_FLAG_KEY;
    m->frame_bytes = 0;
    m->last_ns = pts_ns;
    return hold(m, pkt);
}

/* The last frame lasts as long as the one before it. */
static int finish(struct mux *m)
{
    int res;

    if (m->frame_bytes && (res = mux_frame(m, m->last_ns + 1)) < 0)
        return res;
    if (m->held && (res = write_held(m, m->last_duration)) < 0)
        return res;
    return to_errno(m->av->av_write_trailer(m->fmt));
}

int mux_close(struct mux *m)
{
    int res = 0;

    if (!m)
        return 0;
    if (m->started)
        res = finish(m);
    m->av->av_packet_free(&m->held);
    if (m->fmt && m->fmt->pb) {
        m->av->av_freep(&m->fmt->pb->buffer); /* avio may have replaced the one it was given */
        m->av->avio_context_free(&m->fmt->pb);
    }
    m->av->avformat_free_context(m->fmt);
    free(m->frame);
    free(m);
    return res;
}
#else
bool mux_available(enum mux_container container, const char **why)
{
    return container == MUX_RAW;
}

int mux_open(struct mux **m, const struct mux_config *config)
{
    *m = NULL;
    return -ENOTSUP;
}

int mux_write(struct mux *m, const void *bytes, size_t size)
{
    return -ENOTSUP;
}

int mux_frame(struct mux *m, uint64_t pts_ns)
{
    return -ENOTSUP;
}

int mux_close(struct mux *m)
{
    return 0;
}
#endif
