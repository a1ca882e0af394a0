/* A client whose frames wait on its stream's clock: GStreamer's pipewiresrc 1.6, a live source
 * that basesrc syncs to its pipewireclock. That clock is the stream's time (struct
 * frame.clock_ns); on PipeWire 1.6 it starts from zero again each time the stream comes back to
 * Streaming, and the source passes no frame on until it is back where it was at its last one. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "frame.h"

struct clock_pace {
    uint64_t mark_ns;            /* the clock at the last frame passed on */
    uint32_t passed, held;       /* frames passed on, frames held back */
    uint32_t passed_before_hold; /* passed on before the first one held */
};

/* One frame at clock_ns: FRAME_OK (passed on) or FRAME_HELD_BY_CLOCK. */
enum frame_drop clock_pace_frame(struct clock_pace *p, uint64_t clock_ns);
/* Once its clock first went back, it held more frames than it passed on: for the user, its
 * capture stopped there (a producer that flaps every 0.8 s never lets the clock catch up). */
bool clock_pace_stalled(const struct clock_pace *p);
