/* Proves profile parsing: every shipped profile loads, and each kind of mistake is named with
 * its file and line. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>
#include <spa/param/video/color.h>
#include <spa/param/video/raw.h>
#include <spa/pod/pod.h>

#include "colour.h"
#include "profile.h"
#include "pwzc.h"

static const char good[] = "# a comment\n"
                           "[producer]\n"
                           "size = 640x480\n"
                           "max-framerate = 30/1\n"
                           "behaviour = flapping\n"
                           "flap-interval = 0.5\n"
                           "\n"
                           "[format]\n"
                           "formats = BGRx, BGRA\n"
                           "modifiers = LINEAR, 0x0300000000606010\n"
                           "modifier-flags = mandatory, dont-fixate\n"
                           "data-type = dmabuf\n"
                           "[format]\n"
                           "formats = RGBx\n"
                           "modifiers = none\n";

static void a_good_profile_parses_into_every_field(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_parse(good, "test.profile", &p, &err), 0);
    assert_string_equal(p.name, "test");
    assert_int_equal(p.width, 640);
    assert_int_equal(p.height, 480);
    assert_int_equal(p.max_framerate_num, 30);
    assert_int_equal(p.behaviour, BEHAVIOUR_FLAPPING);
    assert_int_equal(p.flap_interval_ms, 500);
    assert_int_equal(p.n_formats, 2);
    assert_int_equal(p.formats[0].n_formats, 2);
    assert_int_equal(p.formats[0].formats[1], SPA_VIDEO_FORMAT_BGRA);
    assert_true(p.formats[0].has_modifier);
    assert_int_equal(p.formats[0].n_modifiers, 2);
    assert_true(p.formats[0].modifiers[1] == 0x0300000000606010ull);
    assert_int_equal(p.formats[0].modifier_flags,
                     SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE);
    assert_int_equal(p.formats[0].data_type, SPA_DATA_DmaBuf);
    assert_false(p.formats[1].has_modifier);
    assert_int_equal(p.formats[1].data_type, SPA_DATA_MemFd);
}

/* The keys added for producers read from their source (niri, COSMIC, gamescope, xdpw 0.8,
 * Mutter 50 HDR, Mutter 51). */
static const char quirks[] = "[producer]\n"
                             "driver = no\n"
                             "header-pts = minus-one\n"
                             "chunk-size = one\n"
                             "buffers = 1..8\n"
                             "buffers-default = 4\n"
                             "supports-request = 2\n"
                             "capability = device-id\n"
                             "gamescope-keys = yes\n"
                             "cursor-since = 1.4.8\n"
                             "[format]\n"
                             "formats = NV12\n"
                             "modifiers = LINEAR\n"
                             "modifier-flags = mandatory, choice\n"
                             "data-type = dmabuf\n"
                             "data-flags = readable\n"
                             "color-matrix = bt601, bt709\n"
                             "color-range = 16-235, 0-255\n"
                             "[format]\n"
                             "formats = RGBA_F16\n"
                             "color-primaries = bt2020\n"
                             "transfer-function = pq\n"
                             "color-flags = mandatory\n";

static void the_producer_quirk_keys_parse(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_parse(quirks, "q.profile", &p, &err), 0);
    assert_false(p.driver);
    assert_int_equal(p.header_pts, PTS_MINUS_ONE);
    assert_int_equal(p.chunk_size, CHUNK_ONE);
    assert_int_equal(p.buffers_default, 4);
    assert_string_equal(p.supports_request, "2");
    assert_true(p.capability_device_id);
    assert_true(p.gamescope_keys);
    assert_string_equal(p.cursor_since, "1.4.8");
    assert_int_equal(p.formats[0].formats[0], SPA_VIDEO_FORMAT_NV12);
    assert_true(p.formats[0].modifier_choice);
    assert_int_equal(p.formats[0].modifier_flags, SPA_POD_PROP_FLAG_MANDATORY);
    assert_int_equal(p.formats[0].data_flags, SPA_DATA_FLAG_READABLE);
    assert_int_equal(p.formats[0].n_color_matrix, 2);
    assert_int_equal(p.formats[0].color_matrix[0], SPA_VIDEO_COLOR_MATRIX_BT601);
    assert_int_equal(p.formats[0].color_range[1], SPA_VIDEO_COLOR_RANGE_0_255);
    assert_int_equal(p.formats[1].formats[0], SPA_VIDEO_FORMAT_RGBA_F16);
    assert_int_equal(p.formats[1].color_primaries, PWZC_PRIMARIES_BT2020);
    assert_int_equal(p.formats[1].transfer_function, PWZC_TRANSFER_PQ);
    assert_int_equal(p.formats[1].color_flags, SPA_POD_PROP_FLAG_MANDATORY);
    assert_int_equal(p.formats[1].data_flags, SPA_DATA_FLAG_READWRITE); /* the default */
}

struct bad_case {
    const char *text;
    const char *expect; /* in the error, with "FILE:LINE" */
};

static const struct bad_case bad[] = {
    {"[producer]\nsize = big\n[format]\nformats = BGRx\n", "bad.profile:2: size 'big'"},
    {"[producer]\n[format]\nformats = BGRx, YUV9\n", "bad.profile:3: format 'YUV9'"},
    {"[producer]\n[format]\nformats = BGRx\nmodifers = LINEAR\n",
     "bad.profile:4: unknown key 'modifers' in [format]"},
    {"[produce]\n", "bad.profile:1: unknown section [produce]"},
    {"size = 1x1\n", "bad.profile:1: 'size' stands before any [section]"},
    {"[producer]\nfixation-retries = many\n",
     "bad.profile:2: fixation-retries 'many' is not a number"},
    {"[producer]\nthis is not a pair\n", "bad.profile:2: expected 'key = value'"},
    {"[producer]\n[format]\nformats = BGRx\nmodifiers = LINEAR, banana\n",
     "bad.profile:4: modifier 'banana'"},
    {"[producer]\n[format]\nformats = BGRx\nmodifier-flags = sticky\n",
     "bad.profile:4: modifier flag 'sticky'"},
    {"[producer]\nbehaviour = sulking\n[format]\nformats = BGRx\n",
     "bad.profile:2: behaviour 'sulking'"},
    {"[producer]\n", "bad.profile: no [format] section"},
    {"[producer]\n[format]\nformats = BGRx\nmodifiers = LINEAR\n",
     "has modifiers but data-type is not dmabuf"},
    {"[producer]\nexplicit-sync-flags = urgent\n[format]\nformats = BGRx\n",
     "bad.profile:2: explicit-sync-flags 'urgent'"},
    {"[producer]\nbuffers = 2..4\nbuffers-default = 5\n[format]\nformats = BGRx\n",
     "buffers-default 5 is outside buffers 2..4"},
    {"[producer]\ndriver = maybe\n[format]\nformats = BGRx\n", "bad.profile:2: driver 'maybe'"},
    {"[producer]\nheader-pts = soon\n[format]\nformats = BGRx\n",
     "bad.profile:2: header-pts 'soon' is not clock, minus-one or unset"},
    {"[producer]\nsupports-request = 3\n[format]\nformats = BGRx\n",
     "bad.profile:2: supports-request '3'"},
    {"[producer]\n[format]\nformats = BGRx\ncolor-primaries = p3\n",
     "bad.profile:4: color-primaries 'p3'"},
    {"[producer]\n[format]\nformats = BGRx\ncolor-matrix = bt601\n",
     "has a color matrix or range but is not NV12"},
    {"[producer]\n[format]\nformats = BGRx\ndata-flags = sticky\n",
     "bad.profile:4: data-flags 'sticky'"},
};

static void each_mistake_is_named_with_its_line(void **state)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct profile p;
        struct pwzc_error err = {0};
        assert_int_equal(profile_parse(bad[i].text, "bad.profile", &p, &err), -EINVAL);
        if (!strstr(err.message, bad[i].expect))
            fail_msg("case %zu: '%s' does not contain '%s'", i, err.message, bad[i].expect);
    }
}

/* Every data/profiles/NAME.profile on disk, found in the directory profile_load() reads: a profile
 * added without a test is still loaded here. */
static void every_shipped_profile_loads(void **state)
{
    char dir[4096];
    struct dirent *e;
    DIR *d;
    int loaded = 0;

    snprintf(dir, sizeof(dir), "%s/profiles", pwzc_datadir());
    d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s: %s", dir, strerror(errno));
    while ((e = readdir(d))) {
        static const char ext[] = ".profile";
        size_t len = strlen(e->d_name);
        char name[256];
        struct profile p;
        struct pwzc_error err = {0};

        if (len <= sizeof(ext) - 1 || strcmp(e->d_name + len - (sizeof(ext) - 1), ext) != 0)
            continue;
        snprintf(name, sizeof(name), "%.*s", (int)(len - (sizeof(ext) - 1)), e->d_name);
        if (profile_load(name, &p, &err) != 0) {
            closedir(d);
            fail_msg("%s/%s: %s", dir, e->d_name, err.message);
        }
        loaded++;
    }
    closedir(d);
    if (loaded < 28)
        fail_msg("only %d profiles in %s, expected at least 28", loaded, dir);
}

static void gnome_headless_is_shm_only_as_mutter_43_offers(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_load("gnome-headless", &p, &err), 0);
    assert_int_equal(p.n_formats, 1);
    assert_false(p.formats[0].has_modifier);
    assert_int_equal(p.formats[0].formats[0], SPA_VIDEO_FORMAT_BGRx);
    assert_int_equal(p.framerate_num, 0);
    assert_int_equal(p.max_framerate_num, 60);
    assert_int_equal(p.max_framerate_min_num, 1); /* maxFramerate 1/1..60/1 */
    assert_int_equal(p.formats[0].data_type, SPA_DATA_MemFd);
}

/* Mutter 50: BGRx then BGRA, each its own EnumFormat, and maxFramerate 0/1..60/1. */
static void gnome_headless_50_offers_two_formats_and_a_rate_from_zero(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_load("gnome-headless-50", &p, &err), 0);
    assert_int_equal(p.n_formats, 2);
    assert_int_equal(p.formats[0].formats[0], SPA_VIDEO_FORMAT_BGRx);
    assert_int_equal(p.formats[1].formats[0], SPA_VIDEO_FORMAT_BGRA);
    assert_int_equal(p.max_framerate_num, 60);
    assert_int_equal(p.max_framerate_min_num, 0);
    assert_int_equal(p.max_framerate_min_denom, 1);
}

/* KWin 6.7 (screencaststream.cpp): DMA-BUF then SHM, BGRA|BGRx each, the producer fixates,
 * 3 buffers of 2..4, explicit sync with a MANDATORY metaType, cursor moves flagged CORRUPTED. */
static void kwin_keeps_the_quirks_read_from_its_source(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_load("kwin", &p, &err), 0);
    assert_int_equal(p.n_formats, 2);
    assert_int_equal(p.formats[0].formats[0], SPA_VIDEO_FORMAT_BGRA);
    assert_int_equal(p.formats[0].formats[1], SPA_VIDEO_FORMAT_BGRx);
    assert_int_equal(p.formats[0].data_type, SPA_DATA_DmaBuf);
    assert_int_equal(p.formats[0].modifier_flags,
                     SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE);
    assert_false(p.formats[1].has_modifier);
    assert_int_equal(p.formats[1].data_type, SPA_DATA_MemFd);
    assert_int_equal(p.fixation, FIXATION_PRODUCER);
    assert_int_equal(p.buffers_min, 2);
    assert_int_equal(p.buffers_max, 4);
    assert_int_equal(p.buffers_default, 3);
    assert_int_equal(p.explicit_sync, SYNC_OFFERED);
    assert_true(p.sync_mandatory);
    assert_int_equal(p.hostile, HOSTILE_CURSOR_ONLY_CORRUPTED);
    assert_int_equal(p.max_framerate_min_num, 0);
}

/* xdph (ScreencopyShared.cpp build_format): DMA-BUF first, the format alone with its modifiers
 * MANDATORY|DONT_FIXATE; SHM second as Enum(format, format, format-without-alpha); the producer
 * fixates and gives DMA-BUF up after MAX_DMABUF_RETRIES (2); 2..32 buffers. */
static void hyprland_xdph_offers_dmabuf_then_shm_and_gives_up_after_two(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_load("hyprland-xdph", &p, &err), 0);
    assert_int_equal(p.n_formats, 2);
    assert_true(p.formats[0].has_modifier);
    assert_int_equal(p.formats[0].n_formats, 1);
    assert_int_equal(p.formats[0].modifier_flags,
                     SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE);
    assert_int_equal(p.formats[0].data_type, SPA_DATA_DmaBuf);
    assert_false(p.formats[1].has_modifier);
    assert_int_equal(p.formats[1].n_formats, 2);
    assert_int_equal(p.formats[1].formats[1], SPA_VIDEO_FORMAT_BGRx);
    assert_int_equal(p.formats[1].data_type, SPA_DATA_MemFd);
    assert_int_equal(p.fixation, FIXATION_PRODUCER);
    assert_int_equal(p.fixation_retries, 2);
    assert_int_equal(p.max_framerate_min_num, 1);
    assert_int_equal(p.buffers_min, 2);
    assert_int_equal(p.buffers_max, 32);
}

static void an_unknown_profile_lists_the_known_ones(void **state)
{
    struct profile p;
    struct pwzc_error err = {0};

    assert_int_equal(profile_load("kwin-magic", &p, &err), -ENOENT);
    assert_non_null(strstr(err.message, "unknown profile 'kwin-magic'"));
    assert_non_null(strstr(err.message, "gnome-headless"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_good_profile_parses_into_every_field),
        cmocka_unit_test(each_mistake_is_named_with_its_line),
        cmocka_unit_test(the_producer_quirk_keys_parse),
        cmocka_unit_test(every_shipped_profile_loads),
        cmocka_unit_test(gnome_headless_50_offers_two_formats_and_a_rate_from_zero),
        cmocka_unit_test(gnome_headless_is_shm_only_as_mutter_43_offers),
        cmocka_unit_test(kwin_keeps_the_quirks_read_from_its_source),
        cmocka_unit_test(hyprland_xdph_offers_dmabuf_then_shm_and_gives_up_after_two),
        cmocka_unit_test(an_unknown_profile_lists_the_known_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
