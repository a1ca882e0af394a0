/* A PipeWire video producer that negotiates the way a profile says a compositor does. */
#pragma once

#include <stdint.h>

#include "connection.h"
#include "profile.h"

/* The node exists: what the ready line tells (the session reads the node id from it). */
struct emulator_ready {
    uint32_t node_id;
    const char *profile;
    uint32_t width, height;
    const char *dmabuf; /* where its DMA-BUFs come from */
};

struct emulator_options {
    uint32_t width, height; /* 0: the profile's */
    int32_t fps;            /* -1: the profile's; 0: as fast as buffers come back */
    uint32_t frames;        /* 0: until stopped */
    bool json;              /* --json: no commentary on stderr either */
    /* Called once, when the node exists: the caller renders the ready line. */
    void (*ready)(void *data, const struct emulator_ready *ready);
    void *ready_data;
};

/* Runs until SIGINT/SIGTERM, --frames, or the daemon going away. Calls o->ready once the node
 * exists. */
int emulator_run(struct connection *c, const struct profile *p, const struct emulator_options *o,
                 struct pwzc_error *err);
