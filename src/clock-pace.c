#include "config.h"

#include "clock-pace.h"

enum frame_drop clock_pace_frame(struct clock_pace *p, uint64_t clock_ns)
{
    if (clock_ns < p->mark_ns) {
        if (p->held++ == 0)
            p->passed_before_hold = p->passed;
        return FRAME_HELD_BY_CLOCK;
    }
    p->mark_ns = clock_ns;
    p->passed++;
    return FRAME_OK;
}

bool clock_pace_stalled(const struct clock_pace *p)
{
    return p->held > p->passed - p->passed_before_hold;
}
