/* libavformat (with the libavcodec and libavutil it depends on), loaded when something first
 * needs it rather than linked: a probe or a negotiate then loads none of FFmpeg's codec
 * libraries and what they bring (libjxl's libhwy executes RDTSCP as it loads, which valgrind
 * 3.19 cannot run on a CPU that does not advertise it), and a machine without FFmpeg's
 * libraries still runs everything but .mp4/.mkv capture. */
#ifndef PWZC_LIBAV_H
#define PWZC_LIBAV_H

#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/mem.h>

/* The functions pwzc calls, typed by the headers it was compiled with: the library loaded is
 * the one of the same major version (its soname), so these types are its own. */
#define LIBAV_FUNCTIONS(X)                                                                         \
    X(avformat_version)                                                                            \
    X(avformat_alloc_output_context2)                                                              \
    X(avformat_free_context)                                                                       \
    X(avformat_new_stream)                                                                         \
    X(avformat_write_header)                                                                       \
    X(av_write_frame)                                                                              \
    X(av_write_trailer)                                                                            \
    X(avio_alloc_context)                                                                          \
    X(avio_context_free)                                                                           \
    X(av_packet_alloc)                                                                             \
    X(av_new_packet)                                                                               \
    X(av_packet_free)                                                                              \
    X(av_malloc)                                                                                   \
    X(av_mallocz)                                                                                  \
    X(av_free)                                                                                     \
    X(av_freep)                                                                                    \
    X(av_rescale_q)                                                                                \
    X(av_version_info)

struct libav {
#define LIBAV_MEMBER(name) __typeof__(name) *name;
    LIBAV_FUNCTIONS(LIBAV_MEMBER)
#undef LIBAV_MEMBER
};

/* The soname loaded: libavformat.so.MAJOR, MAJOR the headers'. */
const char *libav_soname(void);

/* Loads it once (thread-safe); NULL when it cannot be, *why then saying why (dlerror's words,
 * or the function missing). */
const struct libav *libav_load(const char **why);

#endif
