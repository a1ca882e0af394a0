/* Where a capture's H.264 goes. A file is written beside its target under a temporary name and
 * renamed over it only once a frame is in it: a capture that fails never clobbers what was
 * there. Stdout, a pipe or a device is a stream and is written as it comes. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct output {
    const char *name;      /* as the user gave it, for messages */
    char target[PATH_MAX]; /* the file the temporary one replaces (a symlink's target) */
    char temp[PATH_MAX];   /* ".NAME.XXXXXX" beside it, once the first byte comes */
    int fd;                /* -1 until then (files) */
    bool stream;           /* written in place, never renamed */
    bool has_mode;         /* the target exists: the new file gets its permissions */
    mode_t mode;
    uint64_t bytes;
};

/* 0 when path can be written (the directory exists and takes files, path is not a directory),
 * else a negative errno and err says "cannot write [ROLE ]PATH: why" (exit 15; role may be
 * NULL, or name the file: "the plot"). Checked before a run, for -o and --plot. */
int output_check(const char *path, const char *role, struct pwzc_error *err);

/* Checks path ("-" is stdout) and opens it if it is a stream; a file is not touched yet. Fails
 * as output_check does. */
int output_open(struct output *out, const char *path, struct pwzc_error *err);

/* Writes all of bytes; the first call creates the temporary file. */
int output_write(struct output *out, const void *bytes, size_t size);

/* The fd to write (and seek) through, for a muxer: a file's temporary one is created now, at
 * the first frame. A negative errno when it cannot be. */
int output_fd(struct output *out);

/* The run is over: a file that got bytes replaces its target, one that got none is removed and
 * the target left as it was. Negative errno (and err, exit 15) when the rename fails. */
int output_finish(struct output *out, struct pwzc_error *err);
