/* Capture's output as a player or an editor takes it: the encoder's H.264 copied, not
 * re-encoded, into an MP4 or Matroska file through libavformat, each frame with its own
 * timestamp and the stream with the colour the conversion really produced. Raw Annex-B (.h264,
 * stdout) does not come here: capture writes it as it is. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mux_container { MUX_RAW, MUX_MP4, MUX_MKV };

/* By the output's name: *.mp4 and *.mkv (any case) are containers; anything else, and "-", raw. */
enum mux_container mux_container_for(const char *name);
/* "h264", "mp4", "matroska": the format's name as ffprobe says it. */
const char *mux_container_name(enum mux_container container);
/* Whether it can be written: containers need libavformat, built in and loadable (libav.h).
 * Where it is built in but cannot be loaded, *why (left alone otherwise) says why. */
bool mux_available(enum mux_container container, const char **why);

struct mux_config {
    int fd; /* written through, and seeked (MP4 writes its index last, at the front's size) */
    enum mux_container container;
    uint32_t width, height; /* the first frames' size: a later change stays in the stream */
};

struct mux;

/* Nothing is written yet: the header waits for the first frame's SPS and PPS. */
int mux_open(struct mux **m, const struct mux_config *config);
/* Bytes of the frame being encoded, as the encoder emits them (Annex-B). */
int mux_write(struct mux *m, const void *bytes, size_t size);
/* The frame's bytes are complete; pts_ns its time on any clock that only goes forward. A
 * negative errno when the file cannot be written. */
int mux_frame(struct mux *m, uint64_t pts_ns);
/* Writes the last frame and the index (MP4's moov), and frees m; a negative errno when the
 * file could not be finished. NULL is fine. */
int mux_close(struct mux *m);
