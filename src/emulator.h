/* A PipeWire video producer that negotiates the way a profile says a compositor does. */
#pragma once

#include <stdint.h>

#include "connection.h"
#include "profile.h"

struct emulator_options {
    uint32_t width, height; /* 0: the profile's */
    int32_t fps;            /* -1: the profile's; 0: as fast as buffers come back */
    uint32_t frames;        /* 0: until stopped */
    bool json;
};

/* Runs until SIGINT/SIGTERM, --frames, or the daemon going away. Prints the ready line (node id)
 * on stdout once the node exists. */
int emulator_run(struct connection *c, const struct profile *p, const struct emulator_options *o,
                 struct pwzc_error *err);
