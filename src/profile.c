/* Profile files: parse, validate, and name every mistake with its line. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>
#include <spa/param/video/raw.h>
#include <spa/pod/pod.h>

#include "colour.h"
#include "formats.h"
#include "ini.h"
#include "profile.h"
#include "pwzc.h"

struct parse_state {
    struct profile *p;
    struct profile_format *format; /* the [format] section being read */
};

typedef int (*key_fn)(struct parse_state *st, const char *value, struct pwzc_error *err);

static int fail(struct pwzc_error *err, const char *fmt, const char *value)
{
    return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, fmt, value);
}

static int list_each(const char *value,
                     int (*one)(struct parse_state *, const char *, struct pwzc_error *),
                     struct parse_state *st, struct pwzc_error *err)
{
    char copy[1024], *save = NULL, *word;
    int res;

    snprintf(copy, sizeof(copy), "%s", value);
    for (word = strtok_r(copy, ", ", &save); word; word = strtok_r(NULL, ", ", &save))
        if ((res = one(st, word, err)) < 0)
            return res;
    return 0;
}

static int key_description(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return ini_text(st->p->description, sizeof(st->p->description), v);
}

static int key_modelled_on(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return ini_text(st->p->modelled_on, sizeof(st->p->modelled_on), v);
}

static int key_node_name(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return ini_text(st->p->node_name, sizeof(st->p->node_name), v);
}

static int key_media_class(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return ini_text(st->p->media_class, sizeof(st->p->media_class), v);
}

static int key_size(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    int res;

    if ((res = pwzc_parse_size(v, &st->p->width, &st->p->height)) < 0) {
        pwzc_bad_value(err, "size", v, res, "WIDTHxHEIGHT", PWZC_SIZE_RANGE);
        return -EINVAL;
    }
    return 0;
}

static int parse_fraction(const char *v, uint32_t *num, uint32_t *denom)
{
    unsigned n, d;
    char tail;

    if (sscanf(v, "%u/%u%c", &n, &d, &tail) != 2 || d == 0)
        return -EINVAL;
    *num = n;
    *denom = d;
    return 0;
}

static int key_framerate(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (parse_fraction(v, &st->p->framerate_num, &st->p->framerate_denom) < 0)
        return fail(err, "framerate '%s' is not N/D (0/1: variable, as compositors say)", v);
    return 0;
}

static int key_max_framerate(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "none") == 0) {
        st->p->max_framerate_num = st->p->max_framerate_denom = 0;
        return 0;
    }
    if (parse_fraction(v, &st->p->max_framerate_num, &st->p->max_framerate_denom) < 0)
        return fail(err, "max-framerate '%s' is not N/D or none", v);
    return 0;
}

static int key_max_framerate_min(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (parse_fraction(v, &st->p->max_framerate_min_num, &st->p->max_framerate_min_denom) < 0)
        return fail(err, "max-framerate-min '%s' is not N/D", v);
    return 0;
}

static int key_fps(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_u32(v, &st->p->fps) < 0 || st->p->fps > 1000)
        return fail(err, "fps '%s' is not a number from 0 to 1000", v);
    return 0;
}

static int key_behaviour(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "normal") == 0)
        st->p->behaviour = BEHAVIOUR_NORMAL;
    else if (strcmp(v, "renegotiate-loop") == 0)
        st->p->behaviour = BEHAVIOUR_RENEGOTIATE_LOOP;
    else if (strcmp(v, "flapping") == 0)
        st->p->behaviour = BEHAVIOUR_FLAPPING;
    else if (strcmp(v, "no-buffers") == 0)
        st->p->behaviour = BEHAVIOUR_NO_BUFFERS;
    else
        return fail(err, "behaviour '%s' is not normal, renegotiate-loop, flapping or no-buffers",
                    v);
    return 0;
}

static int key_flap_interval(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_ms(v, &st->p->flap_interval_ms) < 0 || st->p->flap_interval_ms < 100)
        return fail(err, "flap-interval '%s' is not a number of seconds >= 0.1", v);
    return 0;
}

static int key_hostile(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const char *const names[] = {
        "none",         "offset-past-end", "size-past-end", "zero-stride", "negative-stride",
        "short-stride", "corrupted",       "empty",         "cursor-only", "cursor-only-corrupted",
        "failed-render"};

    for (size_t i = 0; i < SPA_N_ELEMENTS(names); i++)
        if (strcmp(v, names[i]) == 0) {
            st->p->hostile = (enum profile_hostile)i;
            return 0;
        }
    return fail(err,
                "hostile '%s' is not none, offset-past-end, size-past-end, zero-stride, "
                "negative-stride, short-stride, corrupted, empty, cursor-only, "
                "cursor-only-corrupted or failed-render",
                v);
}

static int key_fixation_retries(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_u32(v, &st->p->fixation_retries) < 0 || st->p->fixation_retries > 100)
        return fail(err, "fixation-retries '%s' is not a number from 0 to 100", v);
    return 0;
}

static int key_hostile_every(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_u32(v, &st->p->hostile_every) < 0 || st->p->hostile_every == 0)
        return fail(err, "hostile-every '%s' is not a count >= 1", v);
    return 0;
}

static int key_resize(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    int res;

    if ((res = pwzc_parse_size(v, &st->p->resize_width, &st->p->resize_height)) < 0) {
        pwzc_bad_value(err, "resize", v, res, "WIDTHxHEIGHT", PWZC_SIZE_RANGE);
        return -EINVAL;
    }
    return 0;
}

static int key_resize_after(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_ms(v, &st->p->resize_after_ms) < 0)
        return fail(err, "resize-after '%s' is not a number of seconds", v);
    return 0;
}

static int key_format_change(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    const struct video_format *vf = format_by_name(v);

    if (!vf)
        return fail(err, "format-change '%s' is not a format (BGRx, RGBx, ...)", v);
    st->p->format_change = vf->spa;
    return 0;
}

/* "0.5" seconds, as a number of ms; `what` names the key in the error. */
static int key_seconds(uint32_t *dst, const char *what, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_ms(v, dst) < 0)
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s '%s' is not a number of seconds",
                         what, v);
    return 0;
}

static int key_format_change_after(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return key_seconds(&st->p->format_change_after_ms, "format-change-after", v, err);
}

static int key_vanish_after(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return key_seconds(&st->p->vanish_after_ms, "vanish-after", v, err);
}

static int key_stall_after(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return key_seconds(&st->p->stall_after_ms, "stall-after", v, err);
}

static int key_stall_for(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return key_seconds(&st->p->stall_for_ms, "stall-for", v, err);
}

static int key_explicit_sync(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const char *const names[] = {"none", "offered", "required"};

    for (size_t i = 0; i < SPA_N_ELEMENTS(names); i++)
        if (strcmp(v, names[i]) == 0) {
            st->p->explicit_sync = (enum profile_sync)i;
            return 0;
        }
    return fail(err, "explicit-sync '%s' is not none, offered or required", v);
}

static int key_explicit_sync_flags(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "mandatory") == 0)
        st->p->sync_mandatory = true;
    else if (strcmp(v, "none") == 0)
        st->p->sync_mandatory = false;
    else
        return fail(err, "explicit-sync-flags '%s' is not mandatory or none", v);
    return 0;
}

static int key_fixation(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "producer") == 0)
        st->p->fixation = FIXATION_PRODUCER;
    else if (strcmp(v, "consumer") == 0)
        st->p->fixation = FIXATION_CONSUMER;
    else
        return fail(err, "fixation '%s' is not producer or consumer", v);
    return 0;
}

static int key_buffers(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    unsigned lo, hi;
    char tail;

    if (sscanf(v, "%u..%u%c", &lo, &hi, &tail) != 2 || lo < 1 || hi < lo || hi > 64)
        return fail(err, "buffers '%s' is not MIN..MAX (1 to 64)", v);
    st->p->buffers_min = lo;
    st->p->buffers_max = hi;
    return 0;
}

static int key_buffers_default(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (pwzc_parse_u32(v, &st->p->buffers_default) < 0 || st->p->buffers_default == 0 ||
        st->p->buffers_default > 64)
        return fail(err, "buffers-default '%s' is not a count from 1 to 64", v);
    return 0;
}

static int key_yes_no(bool *dst, const char *what, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "yes") == 0)
        *dst = true;
    else if (strcmp(v, "no") == 0)
        *dst = false;
    else
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s '%s' is not yes or no", what, v);
    return 0;
}

static int key_driver(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return key_yes_no(&st->p->driver, "driver", v, err);
}

static int key_gamescope_keys(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return key_yes_no(&st->p->gamescope_keys, "gamescope-keys", v, err);
}

/* `names` holds one word per value of the enum, in its order. */
static int key_word(uint32_t *dst, const char *what, const char *const *names, size_t n,
                    const char *v, struct pwzc_error *err)
{
    char known[160] = "";

    for (size_t i = 0; i < n; i++) {
        if (strcmp(v, names[i]) == 0) {
            *dst = (uint32_t)i;
            return 0;
        }
        snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
                 i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
    }
    return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s '%s' is not %s", what, v, known);
}

static int key_header_pts(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const char *const names[] = {"clock", "minus-one", "unset"};
    uint32_t i;
    int res = key_word(&i, "header-pts", names, SPA_N_ELEMENTS(names), v, err);

    st->p->header_pts = (enum profile_pts)i;
    return res;
}

static int key_chunk_size(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const char *const names[] = {"image", "one"};
    uint32_t i;
    int res = key_word(&i, "chunk-size", names, SPA_N_ELEMENTS(names), v, err);

    st->p->chunk_size = (enum profile_chunk)i;
    return res;
}

static int key_data_flags(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const char *const names[] = {"none", "readable", "readwrite", "readable-mappable"};
    static const uint32_t flags[] = {0, SPA_DATA_FLAG_READABLE, SPA_DATA_FLAG_READWRITE,
                                     SPA_DATA_FLAG_READABLE | PWZC_DATA_FLAG_MAPPABLE};
    uint32_t i;
    int res = key_word(&i, "data-flags", names, SPA_N_ELEMENTS(names), v, err);

    if (res == 0)
        st->format->data_flags = flags[i];
    return res;
}

static int key_supports_request(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    uint32_t n;

    if (pwzc_parse_u32(v, &n) < 0 || n > 2)
        return fail(err, "supports-request '%s' is not 0, 1 or 2", v);
    return ini_text(st->p->supports_request, sizeof(st->p->supports_request), v);
}

static int key_cursor_since(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    unsigned a, b, c;
    char tail;

    if (sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail) != 3)
        return fail(err, "cursor-since '%s' is not a version (1.4.8)", v);
    return ini_text(st->p->cursor_since, sizeof(st->p->cursor_since), v);
}

static int key_capability(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "device-id") == 0)
        st->p->capability_device_id = true;
    else if (strcmp(v, "none") == 0)
        st->p->capability_device_id = false;
    else
        return fail(err, "capability '%s' is not device-id or none", v);
    return 0;
}

static const struct {
    const char *name;
    uint32_t type;
} meta_names[] = {
    {"header", SPA_META_Header},
    {"crop", SPA_META_VideoCrop},
    {"damage", SPA_META_VideoDamage},
    {"cursor", SPA_META_Cursor},
    {"transform", SPA_META_VideoTransform},
};

static int one_meta(struct parse_state *st, const char *word, struct pwzc_error *err)
{
    for (size_t i = 0; i < SPA_N_ELEMENTS(meta_names); i++)
        if (strcmp(word, meta_names[i].name) == 0) {
            st->p->metas |= 1u << meta_names[i].type;
            return 0;
        }
    return fail(err, "meta '%s' is not header, crop, damage, cursor or transform", word);
}

static int key_metas(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    st->p->metas = 0;
    if (strcmp(v, "none") == 0)
        return 0;
    return list_each(v, one_meta, st, err);
}

static int one_format(struct parse_state *st, const char *word, struct pwzc_error *err)
{
    const struct video_format *vf = format_by_name(word);
    struct profile_format *f = st->format;

    if (!vf)
        return fail(err, "format '%s' is not one of BGRx, BGRA, RGBx, RGBA, xRGB, ...", word);
    if (f->n_formats >= PROFILE_MAX_VIDEO)
        return fail(err, "more than 8 formats in one EnumFormat (at '%s')", word);
    f->formats[f->n_formats++] = vf->spa;
    return 0;
}

static int key_formats(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    st->format->n_formats = 0;
    return list_each(v, one_format, st, err);
}

static int one_modifier(struct parse_state *st, const char *word, struct pwzc_error *err)
{
    struct profile_format *f = st->format;

    if (f->n_modifiers >= PROFILE_MAX_MODIFIERS)
        return fail(err, "more than 32 modifiers (at '%s')", word);
    if (modifier_parse(word, &f->modifiers[f->n_modifiers]) < 0)
        return fail(err, "modifier '%s' is not LINEAR, INVALID or a number", word);
    f->n_modifiers++;
    return 0;
}

static int key_modifiers(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    st->format->n_modifiers = 0;
    st->format->has_modifier = strcmp(v, "none") != 0;
    if (!st->format->has_modifier)
        return 0;
    return list_each(v, one_modifier, st, err);
}

static int one_modifier_flag(struct parse_state *st, const char *word, struct pwzc_error *err)
{
    if (strcmp(word, "mandatory") == 0)
        st->format->modifier_flags |= SPA_POD_PROP_FLAG_MANDATORY;
    else if (strcmp(word, "dont-fixate") == 0)
        st->format->modifier_flags |= SPA_POD_PROP_FLAG_DONT_FIXATE;
    else if (strcmp(word, "choice") == 0)
        st->format->modifier_choice = true;
    else if (strcmp(word, "none") != 0)
        return fail(err, "modifier flag '%s' is not mandatory, dont-fixate, choice or none", word);
    return 0;
}

static int key_modifier_flags(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    st->format->modifier_flags = 0;
    return list_each(v, one_modifier_flag, st, err);
}

static int key_color_primaries(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return colour_parse(COLOUR_PRIMARIES, v, &st->format->color_primaries, err);
}

static int key_transfer_function(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return colour_parse(COLOUR_TRANSFER, v, &st->format->transfer_function, err);
}

static int key_color_flags(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (strcmp(v, "mandatory") == 0)
        st->format->color_flags = SPA_POD_PROP_FLAG_MANDATORY;
    else if (strcmp(v, "none") == 0)
        st->format->color_flags = 0;
    else
        return fail(err, "color-flags '%s' is not mandatory or none", v);
    return 0;
}

static int one_matrix(struct parse_state *st, const char *word, struct pwzc_error *err)
{
    struct profile_format *f = st->format;

    if (f->n_color_matrix >= SPA_N_ELEMENTS(f->color_matrix))
        return fail(err, "more than 4 color matrices (at '%s')", word);
    return colour_parse(COLOUR_MATRIX, word, &f->color_matrix[f->n_color_matrix++], err);
}

static int key_color_matrix(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    st->format->n_color_matrix = 0;
    return list_each(v, one_matrix, st, err);
}

static int one_range(struct parse_state *st, const char *word, struct pwzc_error *err)
{
    struct profile_format *f = st->format;

    if (f->n_color_range >= SPA_N_ELEMENTS(f->color_range))
        return fail(err, "more than 4 color ranges (at '%s')", word);
    return colour_parse(COLOUR_RANGE, word, &f->color_range[f->n_color_range++], err);
}

static int key_color_range(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    st->format->n_color_range = 0;
    return list_each(v, one_range, st, err);
}

static int key_data_type(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    uint32_t mask;

    if (data_types_parse(v, &mask) < 0 || (mask & (mask - 1)) != 0)
        return fail(err, "data-type '%s' is not one of memfd, dmabuf, memptr", v);
    st->format->data_type = (uint32_t)__builtin_ctz(mask);
    return 0;
}

static const struct key {
    const char *section;
    const char *name;
    key_fn fn;
} keys[] = {
    {"producer", "description", key_description},
    {"producer", "modelled-on", key_modelled_on},
    {"producer", "node-name", key_node_name},
    {"producer", "media-class", key_media_class},
    {"producer", "size", key_size},
    {"producer", "framerate", key_framerate},
    {"producer", "max-framerate", key_max_framerate},
    {"producer", "max-framerate-min", key_max_framerate_min},
    {"producer", "fps", key_fps},
    {"producer", "behaviour", key_behaviour},
    {"producer", "flap-interval", key_flap_interval},
    {"producer", "fixation", key_fixation},
    {"producer", "fixation-retries", key_fixation_retries},
    {"producer", "explicit-sync", key_explicit_sync},
    {"producer", "explicit-sync-flags", key_explicit_sync_flags},
    {"producer", "hostile", key_hostile},
    {"producer", "hostile-every", key_hostile_every},
    {"producer", "resize", key_resize},
    {"producer", "resize-after", key_resize_after},
    {"producer", "format-change", key_format_change},
    {"producer", "format-change-after", key_format_change_after},
    {"producer", "vanish-after", key_vanish_after},
    {"producer", "stall-after", key_stall_after},
    {"producer", "stall-for", key_stall_for},
    {"producer", "buffers", key_buffers},
    {"producer", "metas", key_metas},
    {"producer", "buffers-default", key_buffers_default},
    {"producer", "driver", key_driver},
    {"producer", "header-pts", key_header_pts},
    {"producer", "chunk-size", key_chunk_size},
    {"producer", "supports-request", key_supports_request},
    {"producer", "capability", key_capability},
    {"producer", "cursor-since", key_cursor_since},
    {"producer", "gamescope-keys", key_gamescope_keys},
    {"format", "formats", key_formats},
    {"format", "modifiers", key_modifiers},
    {"format", "modifier-flags", key_modifier_flags},
    {"format", "data-type", key_data_type},
    {"format", "data-flags", key_data_flags},
    {"format", "color-primaries", key_color_primaries},
    {"format", "transfer-function", key_transfer_function},
    {"format", "color-flags", key_color_flags},
    {"format", "color-matrix", key_color_matrix},
    {"format", "color-range", key_color_range},
};

static int start_section(struct parse_state *st, const char *section, struct pwzc_error *err)
{
    if (strcmp(section, "producer") == 0)
        return 0;
    if (strcmp(section, "format") != 0)
        return fail(err, "unknown section [%s] (known: [producer], [format])", section);
    if (st->p->n_formats >= PROFILE_MAX_FORMATS)
        return fail(err, "more than 16 [format] sections%s", "");
    st->format = &st->p->formats[st->p->n_formats++];
    st->format->data_type = SPA_DATA_MemFd;
    st->format->data_flags = SPA_DATA_FLAG_READWRITE;
    return 0;
}

static int on_entry(void *data, const char *section, const char *key, const char *value,
                    struct pwzc_error *err)
{
    struct parse_state *st = data;

    if (!key)
        return start_section(st, section, err);
    for (size_t i = 0; i < SPA_N_ELEMENTS(keys); i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, key) == 0)
            return keys[i].fn(st, value, err);
    return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "unknown key '%s' in [%s]", key, section);
}

static void set_defaults(struct profile *p)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->media_class, sizeof(p->media_class), "Video/Source");
    p->width = 1280;
    p->height = 720;
    p->framerate_denom = 1;
    p->max_framerate_min_num = p->max_framerate_min_denom = 1;
    p->fps = 30;
    p->flap_interval_ms = 1000;
    p->hostile_every = 1;
    p->resize_after_ms = 1000;
    p->format_change_after_ms = 1000;
    p->buffers_min = 2;
    p->buffers_max = 16;
    p->metas = 1u << SPA_META_Header;
    p->driver = true;
}

/* What the parser cannot see line by line: a profile must make sense as a whole. */
static int validate(const struct profile *p, const char *filename, struct pwzc_error *err)
{
    if (p->buffers_default &&
        (p->buffers_default < p->buffers_min || p->buffers_default > p->buffers_max))
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                         "%s: buffers-default %u is outside buffers %u..%u", filename,
                         p->buffers_default, p->buffers_min, p->buffers_max);
    if (p->n_formats == 0)
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                         "%s: no [format] section: a producer must offer something", filename);
    for (uint32_t i = 0; i < p->n_formats; i++) {
        const struct profile_format *f = &p->formats[i];
        if (f->n_formats == 0)
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s: [format] #%u has no 'formats ='",
                             filename, i + 1);
        if ((f->n_color_matrix || f->n_color_range) && f->formats[0] != SPA_VIDEO_FORMAT_NV12)
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                             "%s: [format] #%u has a color matrix or range but is not NV12",
                             filename, i + 1);
        if (f->has_modifier && f->data_type != SPA_DATA_DmaBuf)
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                             "%s: [format] #%u has modifiers but data-type is not dmabuf", filename,
                             i + 1);
    }
    return 0;
}

int profile_parse(const char *text, const char *filename, struct profile *p, struct pwzc_error *err)
{
    struct parse_state st = {.p = p};
    const char *base = strrchr(filename, '/');
    int res;

    set_defaults(p);
    snprintf(p->name, sizeof(p->name), "%s", base ? base + 1 : filename);
    if (strstr(p->name, ".profile"))
        *strstr(p->name, ".profile") = '\0';
    if ((res = ini_parse(text, filename, on_entry, &st, err)) < 0)
        return res;
    if (!p->node_name[0])
        snprintf(p->node_name, sizeof(p->node_name), "pwzc-emulate-%s", p->name);
    return validate(p, filename, err);
}

static const struct ini_kind profile_kind = {"profiles", "profile", "profile"};

struct json_object *profile_names(void)
{
    return ini_names(&profile_kind);
}

int profile_load(const char *name_or_path, struct profile *p, struct pwzc_error *err)
{
    char path[4096], *text = NULL;
    int res;

    if ((res = ini_load(&profile_kind, name_or_path, &text, path, sizeof(path), err)) < 0)
        return res;
    res = profile_parse(text, path, p, err);
    free(text);
    return res;
}

static struct json_object *format_json(const struct profile_format *f)
{
    struct json_object *obj = json_object_new_object(), *arr = json_object_new_array();
    char buf[160];

    for (uint32_t i = 0; i < f->n_formats; i++)
        json_object_array_add(arr,
                              json_object_new_string(format_name(f->formats[i], buf, sizeof(buf))));
    json_object_object_add(obj, "formats", arr);
    if (f->has_modifier) {
        arr = json_object_new_array();
        for (uint32_t i = 0; i < f->n_modifiers; i++) {
            modifier_name(f->modifiers[i], buf, sizeof(buf));
            json_object_array_add(arr, json_object_new_string(buf));
        }
        json_object_object_add(obj, "modifiers", arr);
    } else
        json_object_object_add(obj, "modifiers", NULL);
    json_object_object_add(obj, "data_type", json_object_new_string(data_type_name(f->data_type)));
    return obj;
}

struct json_object *profile_to_json(const struct profile *p)
{
    struct json_object *obj = json_object_new_object(), *formats = json_object_new_array();
    static const char *const behaviours[] = {"normal", "renegotiate-loop", "flapping",
                                             "no-buffers"};
    char size[32];

    json_object_object_add(obj, "name", json_object_new_string(p->name));
    json_object_object_add(obj, "description", json_object_new_string(p->description));
    json_object_object_add(obj, "modelled_on", json_object_new_string(p->modelled_on));
    snprintf(size, sizeof(size), "%ux%u", p->width, p->height);
    json_object_object_add(obj, "size", json_object_new_string(size));
    json_object_object_add(obj, "fps", json_object_new_int((int)p->fps));
    json_object_object_add(obj, "behaviour", json_object_new_string(behaviours[p->behaviour]));
    json_object_object_add(
        obj, "fixation",
        json_object_new_string(p->fixation == FIXATION_PRODUCER ? "producer" : "consumer"));
    for (uint32_t i = 0; i < p->n_formats; i++)
        json_object_array_add(formats, format_json(&p->formats[i]));
    json_object_object_add(obj, "formats", formats);
    return obj;
}
