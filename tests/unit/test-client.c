/* Proves client-profile parsing and the offer a profile turns into: every shipped client
 * loads; split, stand-in and EGL modifier tokens, the daemon-version gate, the fallback's drops
 * and "formats = any" / "size = none" give the EnumFormats the client really sends; its Meta
 * params go in its order, the Cursor at its size; each kind of mistake is named with its file
 * and line. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>
#include <spa/param/param.h>
#include <spa/param/video/raw.h>
#include <spa/pod/iter.h>
#include <spa/pod/pod.h>

#include <pipewire/stream.h>

#include "client.h"
#include "clock-pace.h"
#include "colour.h"
#include "frame.h"
#include "gpu.h"

static const char obs_like[] = "[client]\n"
                               "description = a test client\n"
                               "data-types = memptr, dmabuf\n"
                               "data-type-choice = int\n"
                               "buffers = 8 2..16\n"
                               "metas = header, cursor\n"
                               "modifiers-min-server = 0.3.33\n"
                               "fallback = drop-modifier\n"
                               "drop-modifier-min-server = 0.3.40\n"
                               "on-pause = stop\n"
                               "pause-tolerance = 0.05\n"
                               "[format]\n"
                               "formats = BGRx, BGRA\n"
                               "split = per-format\n"
                               "modifiers = gpu-2d, invalid\n"
                               "modifier-flags = mandatory, dont-fixate\n"
                               "size = 1920x1080 1x1..8192x4320\n"
                               "framerate = 30/1 0/1..360/1\n"
                               "[format]\n"
                               "formats = BGRx, BGRA\n"
                               "modifiers = none\n"
                               "max-framerate = 60/1\n";

static void a_profile_parses_into_every_field(void **state)
{
    struct client_profile c;
    struct pwzc_error err = {0};

    assert_int_equal(client_parse(obs_like, "dir/obs-like.client", &c, &err), 0);
    assert_string_equal(c.name, "obs-like");
    assert_int_equal(c.data_types, (1u << SPA_DATA_MemPtr) | (1u << SPA_DATA_DmaBuf));
    assert_true(c.data_type_int);
    assert_int_equal(c.buffer_count, BUFFERS_RANGE);
    assert_int_equal(c.buffers_min, 2);
    assert_int_equal(c.modifiers_min_server, client_version("0.3.33"));
    assert_true(c.fallbacks & FALLBACK_DROP_MODIFIER);
    assert_int_equal(c.on_pause, CLIENT_PAUSE_STOP);
    assert_int_equal(c.pause_tolerance_ms, 50);
    assert_int_equal(c.n_pods, 2);
    assert_true(c.pods[0].split);
    assert_true(c.pods[0].has_modifier);
    assert_int_equal(c.pods[0].n_tokens, 2);
    assert_true(c.pods[0].size.range);
    assert_int_equal(c.pods[0].size.max[1], 4320);
    assert_false(c.pods[1].has_modifier);
    assert_int_equal(c.pods[1].max_framerate.def[0], 60);
}

/* No GPU: `gpu-2d` stands in with the H100's block-linear list, LINEAR left out (external
 * only); one pod per format, then the plain pod with both formats. */
static void no_gpu_gives_the_stand_in_list_per_format(void **state)
{
    struct client_profile c;
    struct gpu_info gpu = {.available = false};
    static struct offer o;
    struct pwzc_error err = {0};
    bool standin;

    assert_int_equal(client_parse(obs_like, "t.client", &c, &err), 0);
    client_offer(&c, &gpu, client_version("0.3.65"), NULL, &o, &standin);
    assert_true(standin);
    assert_false(o.gpu_modifiers);
    assert_int_equal(o.n_enums, 3);
    assert_int_equal(o.enums[0].n_formats, 1);
    assert_int_equal(o.enums[0].formats[0], SPA_VIDEO_FORMAT_BGRx);
    assert_int_equal(o.enums[1].formats[0], SPA_VIDEO_FORMAT_BGRA);
    assert_int_equal(o.enums[0].n_modifiers, 13); /* twelve block-linear + INVALID */
    for (uint32_t i = 0; i < o.enums[0].n_modifiers; i++)
        assert_true(o.enums[0].modifiers[i] != DRM_FORMAT_MOD_LINEAR);
    assert_true(o.enums[0].modifiers[12] == DRM_FORMAT_MOD_INVALID);
    assert_false(o.enums[2].has_modifier);
    assert_int_equal(o.enums[2].n_formats, 2);
    assert_true(o.data_type_int);
}

/* A real GPU: its own list for the format, external-only ones dropped by gpu-2d; a format the
 * GPU does not list gets no modifier pod at all. */
static void a_gpu_gives_its_own_list(void **state)
{
    struct client_profile c;
    static struct gpu_info gpu;
    static struct offer o;
    struct pwzc_error err = {0};
    bool standin;

    gpu.available = true;
    gpu.n_formats = 1;
    gpu.formats[0].drm_fourcc = DRM_FORMAT_XRGB8888; /* BGRx only */
    gpu.formats[0].modifiers[0] = 0x0300000000606015ull;
    gpu.formats[0].modifiers[1] = DRM_FORMAT_MOD_LINEAR;
    gpu.formats[0].external_only[1] = true;
    gpu.formats[0].n_modifiers = 2;
    assert_int_equal(client_parse(obs_like, "t.client", &c, &err), 0);
    client_offer(&c, &gpu, client_version("0.3.65"), NULL, &o, &standin);
    assert_false(standin);
    assert_true(o.gpu_modifiers);
    assert_int_equal(o.n_enums, 3); /* BGRx with [block-linear, INVALID]; BGRA with [INVALID] */
    assert_int_equal(o.enums[0].n_modifiers, 2);
    assert_true(o.enums[0].modifiers[0] == 0x0300000000606015ull);
    assert_int_equal(o.enums[1].n_modifiers, 1);
    assert_true(o.enums[1].modifiers[0] == DRM_FORMAT_MOD_INVALID);
}

/* Below modifiers-min-server the modifier pods are not sent; drop-modifier removes one
 * modifier from one format, and below drop-modifier-min-server keeps only the last one. */
static void the_daemon_version_and_drops_shape_the_offer(void **state)
{
    struct client_profile c;
    struct gpu_info gpu = {.available = false};
    static struct offer o;
    struct client_state st = {0};
    struct pwzc_error err = {0};
    bool standin;

    assert_int_equal(client_parse(obs_like, "t.client", &c, &err), 0);
    client_offer(&c, &gpu, client_version("0.3.30"), NULL, &o, &standin);
    assert_int_equal(o.n_enums, 1);
    assert_false(o.enums[0].has_modifier);

    st.drops[0].format = SPA_VIDEO_FORMAT_BGRx;
    st.drops[0].modifier = 0x0300000000606010ull;
    st.n_drops = 1;
    client_offer(&c, &gpu, client_version("0.3.65"), &st, &o, &standin);
    assert_int_equal(o.enums[0].n_modifiers, 12);
    assert_true(o.enums[0].modifiers[0] != 0x0300000000606010ull);
    assert_int_equal(o.enums[1].n_modifiers, 13); /* BGRA keeps it */

    st.drops[0].keep_last = true;
    client_offer(&c, &gpu, client_version("0.3.38"), &st, &o, &standin);
    assert_int_equal(o.enums[0].n_modifiers, 1);
    assert_true(o.enums[0].modifiers[0] == DRM_FORMAT_MOD_INVALID);
}

/* GStreamer's bare `video/x-raw`: no format, size or framerate property at all. */
static void any_format_and_no_size_are_left_out(void **state)
{
    static const char text[] = "[client]\ndata-types = dmabuf\n"
                               "[format]\nformats = any\nsize = none\nframerate = none\n";
    struct client_profile c;
    static struct offer o;
    struct pwzc_error err = {0};
    bool standin;

    assert_int_equal(client_parse(text, "gst.client", &c, &err), 0);
    client_offer(&c, NULL, 0, NULL, &o, &standin);
    assert_int_equal(o.n_enums, 1);
    assert_int_equal(o.enums[0].n_formats, 0);
    assert_true(o.enums[0].size.omit);
    assert_true(o.enums[0].framerate.omit);
    assert_false(o.enums[0].max_framerate.set);
}

struct bad_case {
    const char *text, *expect;
};

static const struct bad_case bad[] = {
    {"[client]\ndata-types = memfd\nbogus = 1\n[format]\nformats = BGRx\n",
     "bad.client:3: unknown key 'bogus' in [client]"},
    {"[client]\ndata-types = memfd\n[format]\nformats = BGRy\n", "bad.client:4: format 'BGRy'"},
    {"[client]\ndata-types = floppy\n", "bad.client:2: data-types 'floppy'"},
    {"[client]\nfallback = pray\n", "bad.client:2: fallback 'pray'"},
    {"[client]\non-pause = sulk\n", "bad.client:2: on-pause 'sulk'"},
    {"[client]\ndata-types = memfd\n[format]\nformats = BGRx\nmodifiers = gpu, banana\n",
     "bad.client:5: modifier token 'banana'"},
    {"[client]\ndata-types = memfd\n[format]\nformats = BGRx\nsize = huge\n",
     "bad.client:5: size 'huge'"},
    {"[client]\ndata-types = memfd\n", "bad.client: no [format] section"},
    {"[client]\n[format]\nformats = BGRx\n", "bad.client: [client] has no 'data-types ='"},
    {"[client]\ndata-types = memfd\n[format]\nformats = any\nmodifiers = gpu\n",
     "'formats = any' takes no modifiers"},
    {"[client]\nstream-flags = autoconnect, mmap\n", "stream-flags 'mmap' is not"},
    {"[client]\nbuffers-sent = later\n", "buffers-sent 'later' is not"},
    {"[client]\npasses-on = everything\n", "passes-on 'everything' is not"},
    {"[client]\nbuffer-size = 0 9..1\n", "buffer-size '0 9..1' is not"},
    {"[client]\nmetas = header, cursor, header\n", "meta 'header' is not"},
    {"[client]\nmeta-cursor-size = 28\n", "meta-cursor-size '28' is not"},
    {"[client]\npause-tolerance = soon\n", "pause-tolerance 'soon' is not"},
    {"[client]\non-pause = wait\n", "on-pause 'wait' is not keep, stop or wait-for-clock"},
    {"[client]\nproperties = media.role\n", "properties 'media.role' is not"},
    {"[client]\ntarget = name\n", "target 'name' is not"},
    {"[client]\ndequeue = later\n", "dequeue 'later' is not"},
    {"[client]\ndequeue-takes = all\n", "dequeue-takes 'all' is not"},
    {"[client]\n[format]\ncolor-primaries = p3\n",
     "color-primaries 'p3' is not one of bt709, bt2020"},
};

static void each_mistake_is_named_with_its_line(void **state)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct client_profile c;
        struct pwzc_error err = {0};
        if (client_parse(bad[i].text, "bad.client", &c, &err) == 0)
            fail_msg("case %zu parsed: %s", i, bad[i].text);
        if (!strstr(err.message, bad[i].expect))
            fail_msg("case %zu: '%s' does not say '%s'", i, err.message, bad[i].expect);
    }
}

/* Every file in data/clients, found by client_list, not a list kept here. */
static void every_shipped_client_loads(void **state)
{
    char names[2048], *save = NULL, *name;
    int loaded = 0;

    client_list(names, sizeof(names));
    for (name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
        struct client_profile c;
        struct pwzc_error err = {0};
        if (client_load(name, &c, &err) != 0)
            fail_msg("%s: %s", name, err.message);
        assert_true(c.source[0] != '\0'); /* each names what it was read from */
        if (!(c.stream_flags & PW_STREAM_FLAG_AUTOCONNECT))
            fail_msg("%s: says nothing of how its stream is made (stream-flags)", name);
        if (!c.props_set)
            fail_msg("%s: says nothing of the properties its stream sets (properties)", name);
        loaded++;
    }
    assert_true(loaded >= 11);
}

/* The replay's stream is made as the client's: its connect flags, and the dataType its port
 * then carries (libpipewire adds MemFd for a stream that maps buffers and sends MemPtr). */
static void stream_flags_shape_what_the_port_takes(void **state)
{
    static const char text[] = "[client]\n"
                               "data-types = memptr, dmabuf\n"
                               "data-type-choice = int\n"
                               "stream-flags = autoconnect, map-buffers, rt-process\n"
                               "buffers-sent = at-connect\n"
                               "buffer-blocks = 0 1..2147483647\n"
                               "passes-on = empty, corrupted\n"
                               "[format]\nformats = BGRx\nmodifiers = none\n";
    const uint32_t memptr = 1u << SPA_DATA_MemPtr, memfd = 1u << SPA_DATA_MemFd,
                   dmabuf = 1u << SPA_DATA_DmaBuf;
    struct client_profile c;
    struct offer o;
    bool standin;
    struct pwzc_error err = {0};

    assert_int_equal(client_parse(text, "mapping.client", &c, &err), 0);
    assert_int_equal(c.stream_flags, PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS |
                                         PW_STREAM_FLAG_RT_PROCESS);
    assert_true(c.buffers_at_connect);
    assert_int_equal(c.passes_on, (1u << FRAME_EMPTY) | (1u << FRAME_CORRUPTED));
    assert_true(c.blocks.set);
    assert_int_equal(c.blocks.def, 0); /* below its range, as pipewiresrc writes it */
    assert_int_equal(c.blocks.min, 1);
    client_offer(&c, NULL, 0, NULL, &o, &standin);
    assert_int_equal(offer_data_types_for(&o, false), memptr | dmabuf);
    assert_int_equal(offer_port_data_types(&o, false), memptr | memfd | dmabuf);
    o.stream_flags &= ~(uint32_t)PW_STREAM_FLAG_MAP_BUFFERS;
    assert_int_equal(offer_port_data_types(&o, false), memptr | dmabuf);
}

/* The properties go to the replay's stream as written ("none": none at all, not pwzc's
 * media.* defaults); target and dequeue are parsed, with their defaults. */
static void properties_target_and_dequeue_are_the_clients(void **state)
{
    static const char text[] = "[client]\ndata-types = memfd\n"
                               "properties = media.type=Video, pipewire.client.reuse=1\n"
                               "target = object-serial\ndequeue = elsewhere\ndequeue-takes = one\n"
                               "[format]\nformats = BGRx\n";
    struct client_profile c;
    struct offer o;
    bool standin;
    struct pwzc_error err = {0};

    assert_int_equal(client_parse(text, "props.client", &c, &err), 0);
    assert_true(c.target_serial && c.dequeues_elsewhere && c.dequeues_one);
    client_offer(&c, NULL, 0, NULL, &o, &standin);
    assert_true(o.props_set);
    assert_int_equal(o.n_props, 2);
    assert_string_equal(o.props[0].key, "media.type");
    assert_string_equal(o.props[1].key, "pipewire.client.reuse");
    assert_string_equal(o.props[1].value, "1");
    assert_int_equal(client_parse("[client]\ndata-types = memfd\nproperties = none\n"
                                  "[format]\nformats = BGRx\n",
                                  "none.client", &c, &err),
                     0);
    assert_true(c.props_set && c.n_props == 0 && !c.target_serial && !c.dequeues_elsewhere &&
                !c.dequeues_one);
}

/* pipewiresrc 1.6 sends Header, VideoCrop, VideoTransform, Cursor (589872, 28..589872), and the
 * real client's port lists them so: the replay's params follow the profile, not SPA's id order. */
static void metas_go_in_the_clients_order_and_the_cursor_at_its_size(void **state)
{
    static const char text[] = "[client]\n"
                               "data-types = memfd\n"
                               "metas = header, crop, transform, cursor\n"
                               "meta-cursor-size = 589872 28..589872\n"
                               "[format]\nformats = BGRx\nmodifiers = none\n";
    static const uint32_t want[] = {SPA_META_Header, SPA_META_VideoCrop, SPA_META_VideoTransform,
                                    SPA_META_Cursor};
    struct client_profile c;
    struct offer o;
    bool standin;
    struct pwzc_error err = {0};
    uint8_t buffer[4096];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[8];
    uint32_t type, n_vals, choice;
    const struct spa_pod *size = NULL, *vals;
    const int32_t *range;
    int n;

    if (client_parse(text, "gst.client", &c, &err) != 0)
        fail_msg("%s", err.message);
    client_offer(&c, NULL, 0, NULL, &o, &standin);
    n = offer_build_buffer_params(&o, false, &b, params, 8);
    assert_int_equal(n, 5); /* Buffers, then the four metas */
    for (int i = 1; i < n; i++) {
        const struct spa_pod_prop *t = spa_pod_find_prop(params[i], NULL, SPA_PARAM_META_type);
        const struct spa_pod_prop *s = spa_pod_find_prop(params[i], NULL, SPA_PARAM_META_size);
        assert_non_null(t);
        assert_non_null(s);
        assert_int_equal(spa_pod_get_id(&t->value, &type), 0);
        assert_int_equal(type, want[i - 1]);
        size = &s->value;
    }
    vals = spa_pod_get_values(size, &n_vals, &choice);
    assert_int_equal(choice, SPA_CHOICE_Range);
    assert_int_equal(n_vals, 3);
    range = SPA_POD_BODY_CONST(vals);
    assert_int_equal(range[0], 589872);
    assert_int_equal(range[1], 28);
    assert_int_equal(range[2], 589872);
}

/* Sunshine writes BT.2020 primaries and PQ on its xBGR_210LE pods, and on no other. */
static void sunshine_asks_for_hdr_on_its_10_bit_pod_only(void **state)
{
    struct client_profile c;
    struct gpu_info gpu = {.available = false};
    static struct offer o;
    struct pwzc_error err = {0};
    bool standin;

    assert_int_equal(client_load("sunshine", &c, &err), 0);
    client_offer(&c, &gpu, client_version("1.6.9"), NULL, &o, &standin);
    assert_int_equal(o.n_enums, 7); /* one pod per format, xBGR_210LE first */
    assert_int_equal(o.enums[0].formats[0], SPA_VIDEO_FORMAT_xBGR_210LE);
    assert_int_equal(o.enums[0].color_primaries, PWZC_PRIMARIES_BT2020);
    assert_int_equal(o.enums[0].transfer_function, PWZC_TRANSFER_PQ);
    for (uint32_t i = 1; i < o.n_enums; i++) {
        assert_int_equal(o.enums[i].color_primaries, 0);
        assert_int_equal(o.enums[i].transfer_function, 0);
    }
    assert_int_equal(o.enums[6].formats[0], SPA_VIDEO_FORMAT_BGRx);
}

static void an_unknown_client_lists_the_known_ones(void **state)
{
    struct client_profile c;
    struct pwzc_error err = {0};

    assert_true(client_load("netscape", &c, &err) < 0);
    assert_non_null(strstr(err.message, "unknown client 'netscape'"));
    assert_non_null(strstr(err.message, "obs"));
}

/* The flapping producer as pipewiresrc 1.6 saw it: the clock restarts at each Streaming and
 * never gets back to where it was before the stream flaps again; a resize restarts it once. */
static uint32_t pace(struct clock_pace *p, const uint64_t *segment_ms, int segments)
{
    uint32_t before = 0;

    for (int s = 0; s < segments; s++)
        for (uint64_t t = 0; t < segment_ms[s]; t += 33) {
            clock_pace_frame(p, t * SPA_NSEC_PER_MSEC);
            before += s == 0;
        }
    return before;
}

static void a_clock_paced_client_waits_for_its_clock(void **state)
{
    const uint64_t flapping[] = {800, 790, 790, 790}, resized[] = {500, 5000};
    struct clock_pace p = {0};
    uint32_t first = pace(&p, flapping, 4);

    assert_int_equal(first, p.passed);
    assert_int_equal(p.passed_before_hold, p.passed);
    assert_int_equal(p.held, 3 * 24);
    assert_true(clock_pace_stalled(&p));

    memset(&p, 0, sizeof(p));
    pace(&p, resized, 2);
    assert_int_equal(p.held, 15); /* 0..462 ms again: the first 500 ms, waited out */
    assert_int_equal(p.passed_before_hold, 16);
    assert_int_equal(p.passed, 16 + 152 - 15);
    assert_false(clock_pace_stalled(&p));
    assert_int_equal(clock_pace_frame(&p, 0), FRAME_HELD_BY_CLOCK);
    assert_string_equal(frame_drop_name(FRAME_HELD_BY_CLOCK), "held-by-clock");
    assert_false(frame_fate_is_drop(FRAME_HELD_BY_CLOCK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_profile_parses_into_every_field),
        cmocka_unit_test(no_gpu_gives_the_stand_in_list_per_format),
        cmocka_unit_test(a_gpu_gives_its_own_list),
        cmocka_unit_test(the_daemon_version_and_drops_shape_the_offer),
        cmocka_unit_test(any_format_and_no_size_are_left_out),
        cmocka_unit_test(each_mistake_is_named_with_its_line),
        cmocka_unit_test(every_shipped_client_loads),
        cmocka_unit_test(stream_flags_shape_what_the_port_takes),
        cmocka_unit_test(properties_target_and_dequeue_are_the_clients),
        cmocka_unit_test(metas_go_in_the_clients_order_and_the_cursor_at_its_size),
        cmocka_unit_test(sunshine_asks_for_hdr_on_its_10_bit_pod_only),
        cmocka_unit_test(an_unknown_client_lists_the_known_ones),
        cmocka_unit_test(a_clock_paced_client_waits_for_its_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
