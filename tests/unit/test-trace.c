/* Proves the verdict rules on synthetic event sequences: the shapes seen on real Mutter, xdpw,
 * PipeWire 0.3.65 and 1.4, each judged from events alone. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <spa/param/param.h>

#include "trace.h"

#define MS 1000000ull

enum {
    CONNECTING = TRACE_STATE_CONNECTING,
    PAUSED = TRACE_STATE_PAUSED,
    STREAMING = TRACE_STATE_STREAMING,
    ERROR = TRACE_STATE_ERROR
};

static const struct producer_shape shm_only = {.known = true, .plain_format = true};
static const struct producer_shape dmabuf_mandatory = {
    .known = true, .modifier_format = true, .modifier_mandatory = true};

static struct verdict_result judge(struct trace *t, bool offer_modifier, bool offer_plain,
                                   const struct producer_shape *p)
{
    struct verdict_result v;

    trace_verdict(t, offer_modifier, offer_plain, p, &v);
    return v;
}

static void connect_to_paused(struct trace *t)
{
    trace_init(t, 0);
    trace_state(t, 1 * MS, 0, CONNECTING, NULL);
    trace_state(t, 3 * MS, CONNECTING, PAUSED, NULL);
}

static void streaming_with_frames_works(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    trace_state(&t, 9 * MS, PAUSED, STREAMING, NULL);
    for (int i = 0; i < 30; i++)
        trace_fate(&t, (20 + i * 33) * MS, FRAME_OK);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_WORKS);
    assert_int_equal(t.first_frame_ns, 20 * MS);
    trace_clear(&t);
}

/* A consumer that keeps every buffer of the pool (--hold 2 of 2) gets two frames and then none:
 * stalled, with the cause. The same quiet tail without the consumer holding the pool is a
 * damage-driven producer's idle screen, not a freeze: it still works. */
static void a_consumer_holding_the_pool_is_stalled_an_idle_tail_is_not(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    trace_state(&t, 9 * MS, PAUSED, STREAMING, NULL);
    t.buffers = 2;
    trace_fate(&t, 20 * MS, FRAME_OK);
    trace_fate(&t, 53 * MS, FRAME_OK);
    trace_end(&t, 3000 * MS);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_WORKS);
    t.consumer_holds = 2;
    v = judge(&t, false, true, &shm_only);
    assert_int_equal(v.verdict, VERDICT_STALLED);
    assert_non_null(strstr(v.reason, "the producer has 2 buffers and the consumer holds 2"));
    t.consumer_holds = 1;
    v = judge(&t, false, true, &shm_only);
    assert_int_equal(v.verdict, VERDICT_WORKS);
    assert_non_null(strstr(v.reason, "held 1 of the producer's 2 buffers"));
    trace_clear(&t);
}

/* Real Mutter 43 and xdpw 0.7 on 0.3.65, DMA-BUF-only offer: paused, nothing else, and the
 * daemon's link says why. */
static void paused_without_param_changed_is_a_silent_stall_naming_the_link_error(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    trace_link(&t, 4 * MS, -2, "no more input formats");
    v = judge(&t, true, false, &shm_only);
    assert_int_equal(v.verdict, VERDICT_SILENT_STALL);
    assert_non_null(strstr(v.reason, "no more input formats"));
    assert_non_null(strstr(v.reason, "no modifier property"));
    trace_clear(&t);
}

static void a_portal_stall_says_the_link_error_cannot_be_seen(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    t.links_visible = false;
    v = judge(&t, true, false, &shm_only);
    assert_int_equal(v.verdict, VERDICT_SILENT_STALL);
    assert_non_null(strstr(v.reason, "unavailable"));
    trace_clear(&t);
}

/* PipeWire 1.4 against Mutter 48: Props, Latency, Format cleared twice, then the stream error. */
static void pipewire_14_error_after_cleared_formats_is_an_error(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    for (int round = 0; round < 2; round++) {
        trace_param(&t, (5 + round) * MS, SPA_PARAM_Props, false, NULL);
        trace_param(&t, (5 + round) * MS, SPA_PARAM_Latency, false, NULL);
        trace_param(&t, (6 + round) * MS, SPA_PARAM_Format, true, NULL);
    }
    trace_state(&t, 9 * MS, PAUSED, ERROR, "no more input formats");
    v = judge(&t, true, false, &shm_only);
    assert_int_equal(v.verdict, VERDICT_ERROR);
    assert_int_equal(t.format_changes, 0); /* cleared Formats are not changes */
    assert_int_equal(t.format_cleared, 2);
    assert_non_null(strstr(v.reason, "no more input formats"));
    trace_clear(&t);
}

static void a_mandatory_modifier_against_a_plain_offer_is_explained(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    trace_state(&t, 9 * MS, PAUSED, ERROR, "no more input formats");
    v = judge(&t, false, true, &dmabuf_mandatory);
    assert_int_equal(v.verdict, VERDICT_ERROR);
    assert_non_null(strstr(v.reason, "MANDATORY"));
    trace_clear(&t);
}

/* 1.4's healthy SHM stream: three param_changed, one Format: no loop. */
static void three_params_and_one_format_is_not_a_loop(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Props, false, NULL);
    trace_param(&t, 5 * MS, SPA_PARAM_Latency, false, NULL);
    trace_param(&t, 6 * MS, SPA_PARAM_Format, false, NULL);
    assert_int_equal(t.param_changed, 3);
    assert_int_not_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_RENEGOTIATION_LOOP);
    trace_clear(&t);
}

static void many_formats_without_frames_is_a_loop(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    for (int i = 0; i < TRACE_LOOP_MIN_FORMATS; i++)
        trace_param(&t, (5 + i) * MS, SPA_PARAM_Format, false, NULL);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_RENEGOTIATION_LOOP);
    trace_clear(&t);
}

static void one_format_short_of_the_threshold_is_a_stall(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    for (int i = 0; i < TRACE_LOOP_MIN_FORMATS - 1; i++)
        trace_param(&t, (5 + i) * MS, SPA_PARAM_Format, false, NULL);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_SILENT_STALL);
    trace_clear(&t);
}

static void streaming_paused_twice_is_flapping_even_with_frames(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    for (int i = 0; i < 3; i++) {
        trace_state(&t, (10 + i * 1000) * MS, PAUSED, STREAMING, NULL);
        trace_fate(&t, (20 + i * 1000) * MS, FRAME_OK);
        if (i < 2)
            trace_state(&t, (900 + i * 1000) * MS, STREAMING, PAUSED, NULL);
    }
    assert_int_equal(t.streaming_drops, 2);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_FLAPPING);
    trace_clear(&t);
}

/* Each drop from Streaming keeps the frames before it and how long it lasted (a client replay
 * that stops on a long pause reads them); the last one may still be Paused. */
static void each_pause_keeps_its_frames_and_length(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_state(&t, 10 * MS, PAUSED, STREAMING, NULL);
    trace_fate(&t, 20 * MS, FRAME_OK);
    trace_state(&t, 500 * MS, STREAMING, PAUSED, NULL);
    trace_state(&t, 504 * MS, PAUSED, STREAMING, NULL);
    trace_fate(&t, 520 * MS, FRAME_OK);
    trace_state(&t, 900 * MS, STREAMING, PAUSED, NULL);
    assert_int_equal(t.n_pauses, 2);
    assert_int_equal(t.pauses[0].frames_before, 1);
    assert_int_equal(t.pauses[0].end_ns - t.pauses[0].start_ns, 4 * MS);
    assert_int_equal(t.pauses[1].frames_before, 2);
    assert_int_equal(t.pauses[1].end_ns, 0);
    trace_clear(&t);
}

/* The consumer's own pause (a client that pauses its stream once it streams) is counted apart:
 * with one drop of the producer's it is still no flapping, and it starts no pause the client's
 * on-pause reads. Without a buffer after it, the reason names it. */
static void the_consumers_own_pause_is_not_the_producers(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_state(&t, 10 * MS, PAUSED, STREAMING, NULL);
    t.own_pause = true;
    trace_state(&t, 12 * MS, STREAMING, PAUSED, NULL);
    trace_state(&t, 14 * MS, PAUSED, STREAMING, NULL);
    assert_false(t.own_pause);
    assert_int_equal(t.own_pauses, 1);
    assert_int_equal(t.streaming_drops, 0);
    assert_int_equal(t.n_pauses, 0);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_NO_FRAMES);
    assert_non_null(strstr(judge(&t, false, true, &shm_only).reason,
                           "also after the consumer paused and resumed its own stream"));
    trace_fate(&t, 20 * MS, FRAME_OK);
    trace_state(&t, 900 * MS, STREAMING, PAUSED, NULL);
    trace_state(&t, 950 * MS, PAUSED, STREAMING, NULL);
    assert_int_equal(t.streaming_drops, 1);
    assert_int_equal(t.n_pauses, 1);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_WORKS);
    trace_clear(&t);
}

static void one_drop_is_an_honest_renegotiation(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_state(&t, 10 * MS, PAUSED, STREAMING, NULL);
    trace_fate(&t, 20 * MS, FRAME_OK);
    trace_state(&t, 900 * MS, STREAMING, PAUSED, NULL);
    trace_state(&t, 950 * MS, PAUSED, STREAMING, NULL);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_WORKS);
    trace_clear(&t);
}

/* One renegotiation that takes a busy daemon's link through Paused twice, no frame between
 * (seen with six links negotiating at once on 0.3.65), is one drop; a frame between, or more
 * time, makes it two. */
static void a_drop_that_settles_twice_is_one_drop(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_state(&t, 40 * MS, PAUSED, STREAMING, NULL);
    trace_fate(&t, 60 * MS, FRAME_OK);
    trace_state(&t, 555 * MS, STREAMING, PAUSED, NULL);
    trace_state(&t, 556 * MS, PAUSED, STREAMING, NULL);
    trace_state(&t, 578 * MS, STREAMING, PAUSED, NULL);
    trace_state(&t, 579 * MS, PAUSED, STREAMING, NULL);
    assert_int_equal(t.streaming_drops, 1);
    assert_int_equal(t.n_pauses, 1);
    assert_int_equal(t.pauses[0].end_ns, 579 * MS);
    trace_fate(&t, 600 * MS, FRAME_OK);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_WORKS);
    trace_state(&t, 610 * MS, STREAMING, PAUSED, NULL);
    assert_int_equal(t.streaming_drops, 2);
    trace_state(&t, 611 * MS, PAUSED, STREAMING, NULL);
    trace_state(&t, 900 * MS, STREAMING, PAUSED, NULL);
    assert_int_equal(t.streaming_drops, 3);
    trace_clear(&t);
}

static void streaming_without_frames_is_no_frames(void **state)
{
    struct trace t;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    trace_state(&t, 9 * MS, PAUSED, STREAMING, NULL);
    assert_int_equal(judge(&t, false, true, &shm_only).verdict, VERDICT_NO_FRAMES);
    assert_non_null(strstr(judge(&t, false, true, &shm_only).reason, "no buffer came"));
    trace_clear(&t);
}

/* gamescope's empty chunks, Mutter's cursor moves: buffers came, none a frame; the reason counts
 * them and never says that nothing came. */
static void buffers_without_a_frame_are_counted_in_the_reason(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    trace_state(&t, 9 * MS, PAUSED, STREAMING, NULL);
    for (int i = 0; i < 88; i++)
        trace_fate(&t, (20 + i) * MS, FRAME_EMPTY);
    trace_fate(&t, 200 * MS, FRAME_CURSOR_ONLY);
    trace_fate(&t, 201 * MS, FRAME_CURSOR_ONLY);
    v = judge(&t, false, true, &shm_only);
    assert_int_equal(v.verdict, VERDICT_NO_FRAMES);
    assert_int_equal(t.arrived, 90);
    assert_int_equal(t.frames, 0);
    assert_non_null(strstr(v.reason, "90 buffers came, none a frame (88 empty, 2 cursor-only)"));
    assert_non_null(strstr(v.reason, "OBS")); /* the commonest fate's, what clients do */
    assert_null(strstr(v.reason, "no buffer came"));
    trace_clear(&t);
}

static void frames_and_dropped_buffers_are_both_in_the_reason(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    trace_state(&t, 9 * MS, PAUSED, STREAMING, NULL);
    for (int i = 0; i < 10; i++)
        trace_fate(&t, (20 + i * 10) * MS, i % 2 ? FRAME_CORRUPTED : FRAME_OK);
    v = judge(&t, false, true, &shm_only);
    assert_int_equal(v.verdict, VERDICT_WORKS);
    assert_non_null(strstr(v.reason, "5 frames; 5 of 10 buffers were not frames (5 corrupted)"));
    trace_clear(&t);
}

static void format_agreed_but_no_buffers_names_the_buffer_error(void **state)
{
    struct trace t;
    struct verdict_result v;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    trace_link(&t, 6 * MS, -2, "error alloc buffers: Invalid argument");
    v = judge(&t, false, true, &shm_only);
    assert_int_equal(v.verdict, VERDICT_SILENT_STALL);
    assert_non_null(strstr(v.reason, "buffer data type"));
    trace_clear(&t);
}

static void timeline_json_keeps_every_event_in_order(void **state)
{
    struct trace t;
    struct json_object *arr;

    connect_to_paused(&t);
    trace_param(&t, 5 * MS, SPA_PARAM_Format, false, NULL);
    arr = trace_to_json(&t);
    assert_int_equal(json_object_array_length(arr), 3);
    assert_string_equal(
        json_object_get_string(json_object_object_get(json_object_array_get_idx(arr, 2), "param")),
        "Format");
    json_object_put(arr);
    trace_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streaming_with_frames_works),
        cmocka_unit_test(a_consumer_holding_the_pool_is_stalled_an_idle_tail_is_not),
        cmocka_unit_test(paused_without_param_changed_is_a_silent_stall_naming_the_link_error),
        cmocka_unit_test(a_portal_stall_says_the_link_error_cannot_be_seen),
        cmocka_unit_test(pipewire_14_error_after_cleared_formats_is_an_error),
        cmocka_unit_test(a_mandatory_modifier_against_a_plain_offer_is_explained),
        cmocka_unit_test(three_params_and_one_format_is_not_a_loop),
        cmocka_unit_test(many_formats_without_frames_is_a_loop),
        cmocka_unit_test(one_format_short_of_the_threshold_is_a_stall),
        cmocka_unit_test(streaming_paused_twice_is_flapping_even_with_frames),
        cmocka_unit_test(one_drop_is_an_honest_renegotiation),
        cmocka_unit_test(a_drop_that_settles_twice_is_one_drop),
        cmocka_unit_test(the_consumers_own_pause_is_not_the_producers),
        cmocka_unit_test(streaming_without_frames_is_no_frames),
        cmocka_unit_test(buffers_without_a_frame_are_counted_in_the_reason),
        cmocka_unit_test(frames_and_dropped_buffers_are_both_in_the_reason),
        cmocka_unit_test(format_agreed_but_no_buffers_names_the_buffer_error),
        cmocka_unit_test(timeline_json_keeps_every_event_in_order),
        cmocka_unit_test(each_pause_keeps_its_frames_and_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
