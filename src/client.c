/* Client profile files, and the offer a client makes from one on this machine. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>
#include <pipewire/stream.h>
#include <spa/pod/pod.h>

#include "client.h"
#include "colour.h"
#include "versions.h"
#include "formats.h"
#include "frame.h"
#include "gpu.h"
#include "ini.h"
#include "pwcompat.h"
#include "pwzc.h"

struct parse_state {
    struct client_profile *c;
    struct client_format *pod;
};

typedef int (*key_fn)(struct parse_state *st, const char *v, struct pwzc_error *err);

static int fail(struct pwzc_error *err, const char *what, const char *v, const char *expected)
{
    return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s '%s' is not %s", what, v, expected);
}

/* A key that takes one of two words: *dst says whether it was the second. */
static int either(bool *dst, const char *what, const char *v, const char *first, const char *second,
                  struct pwzc_error *err)
{
    char expected[96];

    if (strcmp(v, first) && strcmp(v, second)) {
        snprintf(expected, sizeof(expected), "%s or %s", first, second);
        return fail(err, what, v, expected);
    }
    *dst = strcmp(v, second) == 0;
    return 0;
}

uint32_t client_version(const char *text)
{
    return version_parse(text);
}

static int key_description(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return ini_text(st->c->description, sizeof(st->c->description), v);
}

static int key_source(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return ini_text(st->c->source, sizeof(st->c->source), v);
}

static int key_data_types(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return data_types_parse(v, &st->c->data_types) < 0
               ? fail(err, "data-types", v, "a list of memfd, memptr, dmabuf")
               : 0;
}

static int key_data_types_plain(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return data_types_parse(v, &st->c->data_types_plain) < 0
               ? fail(err, "data-types-plain", v, "a list of memfd, memptr, dmabuf")
               : 0;
}

static int key_data_type_choice(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->c->data_type_int, "data-type-choice", v, "flags", "int", err);
}

static int key_buffers(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    unsigned d, lo, hi;
    char tail;

    if (strcmp(v, "none") == 0) {
        st->c->buffer_count = BUFFERS_NONE;
        return 0;
    }
    if (sscanf(v, "%u %u..%u%c", &d, &lo, &hi, &tail) != 3 || lo > d || d > hi)
        return fail(err, "buffers", v, "none or DEFAULT MIN..MAX");
    st->c->buffer_count = BUFFERS_RANGE;
    st->c->buffers_def = d;
    st->c->buffers_min = lo;
    st->c->buffers_max = hi;
    return 0;
}

/* "none" or "DEFAULT MIN..MAX"; the default is the client's, in the range or not. */
static int int_range_key(const char *name, const char *v, struct offer_int_range *r,
                         struct pwzc_error *err)
{
    unsigned d, lo, hi;
    char tail;

    *r = (struct offer_int_range){0};
    if (strcmp(v, "none") == 0)
        return 0;
    if (sscanf(v, "%u %u..%u%c", &d, &lo, &hi, &tail) != 3 || lo > hi || hi > INT32_MAX ||
        d > INT32_MAX)
        return fail(err, name, v, "none or DEFAULT MIN..MAX");
    *r = (struct offer_int_range){.set = true, .def = d, .min = lo, .max = hi};
    return 0;
}

static int key_buffer_blocks(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return int_range_key("buffer-blocks", v, &st->c->blocks, err);
}

static int key_buffer_size(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return int_range_key("buffer-size", v, &st->c->size, err);
}

static int key_buffer_stride(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return int_range_key("buffer-stride", v, &st->c->stride, err);
}

static int key_metas(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const struct {
        const char *name;
        uint32_t type;
    } metas[] = {
        {"header", SPA_META_Header},
        {"crop", SPA_META_VideoCrop},
        {"damage", SPA_META_VideoDamage},
        {"cursor", SPA_META_Cursor},
        {"transform", SPA_META_VideoTransform},
    };
    char copy[256], *save = NULL, *w;
    uint32_t j;

    snprintf(copy, sizeof(copy), "%s", v);
    st->c->n_metas = 0;
    for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        size_t i;
        /* SyncTimeline exists from PipeWire 1.2: noted, not sent by this build (issue: explicit
         * sync needs a DRM device these machines lack). */
        if (strcmp(w, "sync-timeline") == 0 || strcmp(w, "none") == 0)
            continue;
        for (i = 0; i < SPA_N_ELEMENTS(metas) && strcmp(w, metas[i].name); i++)
            ;
        if (i == SPA_N_ELEMENTS(metas))
            return fail(err, "meta", w, "header, crop, damage, cursor, transform");
        for (j = 0; j < st->c->n_metas && st->c->metas[j] != metas[i].type; j++)
            ;
        if (j < st->c->n_metas)
            return fail(err, "meta", w, "each meta once");
        st->c->metas[st->c->n_metas++] = metas[i].type;
    }
    return 0;
}

static int key_meta_cursor_size(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return int_range_key("meta-cursor-size", v, &st->c->cursor_size, err);
}

static int version_key(uint32_t *dst, const char *what, const char *v, struct pwzc_error *err)
{
    unsigned a, b;

    /* "none" or 0.0.0: the client checks no version. */
    *dst = client_version(v);
    if (!*dst && strcmp(v, "none") != 0 && sscanf(v, "%u.%u", &a, &b) != 2)
        return fail(err, what, v, "a version such as 0.3.33, or none");
    return 0;
}

static int key_modifiers_min(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return version_key(&st->c->modifiers_min_server, "modifiers-min-server", v, err);
}

static int key_drop_min(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return version_key(&st->c->drop_min_server, "drop-modifier-min-server", v, err);
}

struct word_flag {
    const char *name;
    uint32_t flag;
};

/* A comma list of words from `table` into a mask; the bad word in *bad. */
static int word_flags(const char *v, const struct word_flag *table, size_t n, uint32_t *mask,
                      char *bad, size_t bad_size)
{
    char copy[256], *save = NULL, *w;

    snprintf(copy, sizeof(copy), "%s", v);
    *mask = 0;
    for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        size_t i;
        for (i = 0; i < n && strcmp(w, table[i].name); i++)
            ;
        if (i == n) {
            snprintf(bad, bad_size, "%s", w);
            return -EINVAL;
        }
        *mask |= table[i].flag;
    }
    return 0;
}

static int key_fallback(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const struct word_flag steps[] = {
        {"none", 0},
        {"drop-modifier", FALLBACK_DROP_MODIFIER},
        {"drop-modifier-all", FALLBACK_DROP_MODIFIER_ALL},
        {"retry-implicit", FALLBACK_RETRY_IMPLICIT},
        {"restart-after-paused", FALLBACK_RESTART_PAUSED},
        {"retry-without-max-framerate", FALLBACK_NO_MAX_FRAMERATE},
    };
    char bad[64];

    return word_flags(v, steps, SPA_N_ELEMENTS(steps), &st->c->fallbacks, bad, sizeof(bad)) < 0
               ? fail(err, "fallback", bad, "a step data/clients/FORMAT lists")
               : 0;
}

/* The flags of the client's pw_stream_connect. AUTOCONNECT is every consumer's and always set. */
static const struct word_flag stream_flag_words[] = {
    {"autoconnect", PW_STREAM_FLAG_AUTOCONNECT},   {"map-buffers", PW_STREAM_FLAG_MAP_BUFFERS},
    {"rt-process", PW_STREAM_FLAG_RT_PROCESS},     {"dont-reconnect", PW_STREAM_FLAG_DONT_RECONNECT},
    {"inactive", PW_STREAM_FLAG_INACTIVE},         {"exclusive", PW_STREAM_FLAG_EXCLUSIVE},
    {"alloc-buffers", PW_STREAM_FLAG_ALLOC_BUFFERS}, {"async", PWZC_STREAM_FLAG_ASYNC},
};

static int key_stream_flags(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    char bad[64];

    return word_flags(v, stream_flag_words, SPA_N_ELEMENTS(stream_flag_words), &st->c->stream_flags,
                      bad, sizeof(bad)) < 0
               ? fail(err, "stream-flags", bad,
                      "a pw_stream_connect flag data/clients/FORMAT lists")
               : 0;
}

void client_stream_flags_string(uint32_t flags, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < SPA_N_ELEMENTS(stream_flag_words); i++)
        if (flags & stream_flag_words[i].flag)
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
                                     used ? ", " : "", stream_flag_words[i].name);
}

/* What the client does with a buffer that is not a picture: pipewiresrc 0.3.x pushes empty and
 * corrupted buffers downstream (its buffer count includes them), OBS skips them. */
static int key_passes_on(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const struct word_flag fates[] = {
        {"none", 0},
        {"empty", 1u << FRAME_EMPTY},
        {"cursor-only", 1u << FRAME_CURSOR_ONLY},
        {"corrupted", 1u << FRAME_CORRUPTED},
    };
    char bad[64];

    return word_flags(v, fates, SPA_N_ELEMENTS(fates), &st->c->passes_on, bad, sizeof(bad)) < 0
               ? fail(err, "passes-on", bad, "none, empty, cursor-only or corrupted")
               : 0;
}

static int key_buffers_sent(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->c->buffers_at_connect, "buffers-sent", v, "on-format", "at-connect", err);
}

/* "none", or "key=value, key=value": the pw_stream properties the client sets itself. */
static int key_properties(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    char copy[1024], *save = NULL, *w, *eq;
    struct client_profile *c = st->c;

    snprintf(copy, sizeof(copy), "%s", v);
    c->props_set = true;
    c->n_props = 0;
    if (strcmp(v, "none") == 0)
        return 0;
    for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        if (!(eq = strchr(w, '=')) || eq == w || c->n_props == OFFER_MAX_PROPS ||
            (size_t)(eq - w) >= sizeof(c->props[0].key) ||
            strlen(eq + 1) >= sizeof(c->props[0].value))
            return fail(err, "properties", w,
                        "none or at most " SPA_STRINGIFY(OFFER_MAX_PROPS) " key=value words");
        snprintf(c->props[c->n_props].key, sizeof(c->props[0].key), "%.*s", (int)(eq - w), w);
        snprintf(c->props[c->n_props].value, sizeof(c->props[0].value), "%s", eq + 1);
        c->n_props++;
    }
    return 0;
}

static int key_target(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->c->target_serial, "target", v, "node-id", "object-serial", err);
}

static int key_dequeue(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->c->dequeues_elsewhere, "dequeue", v, "process", "elsewhere", err);
}

static int key_dequeue_takes(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->c->dequeues_one, "dequeue-takes", v, "newest", "one", err);
}

static int key_restart_after(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return pwzc_parse_ms(v, &st->c->restart_after_ms) < 0
               ? fail(err, "restart-after", v, "a number of seconds")
               : 0;
}

static int key_pause_tolerance(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return pwzc_parse_ms(v, &st->c->pause_tolerance_ms) < 0
               ? fail(err, "pause-tolerance", v, "a number of seconds")
               : 0;
}

static int key_max_restarts(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return pwzc_parse_u32(v, &st->c->max_restarts) < 0 || st->c->max_restarts > 5
               ? fail(err, "max-restarts", v, "a count up to 5")
               : 0;
}

static int key_on_pause(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    static const char *const names[] = {
        [CLIENT_PAUSE_KEEP] = "keep",
        [CLIENT_PAUSE_STOP] = "stop",
        [CLIENT_PAUSE_WAIT_FOR_CLOCK] = "wait-for-clock",
    };

    for (size_t i = 0; i < SPA_N_ELEMENTS(names); i++)
        if (strcmp(v, names[i]) == 0) {
            st->c->on_pause = (enum client_on_pause)i;
            return 0;
        }
    return fail(err, "on-pause", v, "keep, stop or wait-for-clock");
}

static int key_on_start(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->c->pauses_at_start, "on-start", v, "keep", "pause-resume", err);
}

static int key_formats(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    char copy[256], *save = NULL, *w;
    struct client_format *f = st->pod;

    snprintf(copy, sizeof(copy), "%s", v);
    f->n_formats = 0;
    f->any_format = strcmp(v, "any") == 0;
    if (f->any_format)
        return 0;
    for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        const struct video_format *vf = format_by_name(w);
        if (!vf)
            return fail(err, "format", w, "one of BGRx, BGRA, RGBx, RGBA, xRGB, ...");
        if (f->n_formats == OFFER_MAX_FORMATS)
            return fail(err, "formats", v,
                        "a list of at most " SPA_STRINGIFY(OFFER_MAX_FORMATS) " formats");
        f->formats[f->n_formats++] = vf->spa;
    }
    return 0;
}

static int key_split(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return either(&st->pod->split, "split", v, "together", "per-format", err);
}

static int key_color_primaries(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return colour_parse(COLOUR_PRIMARIES, v, &st->pod->color_primaries, err);
}

static int key_transfer_function(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    return colour_parse(COLOUR_TRANSFER, v, &st->pod->transfer_function, err);
}

static int one_token(struct client_format *f, const char *w)
{
    static const char *const names[] = {"gpu", "gpu-2d", "invalid", "linear"};

    if (f->n_tokens == CLIENT_MAX_TOKENS)
        return -E2BIG;
    for (int i = 0; i < 4; i++)
        if (strcmp(w, names[i]) == 0) {
            f->tokens[f->n_tokens++] = (enum modifier_token)i;
            return 0;
        }
    if (modifier_parse(w, &f->values[f->n_tokens]) < 0)
        return -EINVAL;
    f->tokens[f->n_tokens++] = TOKEN_VALUE;
    return 0;
}

static int key_modifiers(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    char copy[1024], *save = NULL, *w;
    struct client_format *f = st->pod;

    f->n_tokens = 0;
    f->has_modifier = strcmp(v, "none") != 0;
    if (!f->has_modifier)
        return 0;
    snprintf(copy, sizeof(copy), "%s", v);
    for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save))
        if (one_token(f, w) < 0)
            return fail(err, "modifier token", w, "gpu, gpu-2d, invalid, linear or 0x...");
    return 0;
}

static int key_modifier_flags(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    char copy[128], *save = NULL, *w;

    snprintf(copy, sizeof(copy), "%s", v);
    st->pod->modifier_flags = 0;
    for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        if (strcmp(w, "mandatory") == 0)
            st->pod->modifier_flags |= SPA_POD_PROP_FLAG_MANDATORY;
        else if (strcmp(w, "dont-fixate") == 0)
            st->pod->modifier_flags |= SPA_POD_PROP_FLAG_DONT_FIXATE;
        else if (strcmp(w, "none") != 0)
            return fail(err, "modifier flag", w, "mandatory or dont-fixate");
    }
    return 0;
}

/* "1920x1080" fixed, or "1920x1080 1x1..8192x4320"; the same for fractions with '/'. */
static int parse_range(const char *v, char sep, struct offer_range *r)
{
    char fmt_fixed[16], fmt_range[32], tail;

    snprintf(fmt_fixed, sizeof(fmt_fixed), "%%u%c%%u%%c", sep);
    snprintf(fmt_range, sizeof(fmt_range), "%%u%c%%u %%u%c%%u..%%u%c%%u%%c", sep, sep, sep);
    memset(r, 0, sizeof(*r));
    r->set = true;
    if (sscanf(v, fmt_range, &r->def[0], &r->def[1], &r->min[0], &r->min[1], &r->max[0], &r->max[1],
               &tail) == 6) {
        r->range = true;
        return 0;
    }
    return sscanf(v, fmt_fixed, &r->def[0], &r->def[1], &tail) == 2 ? 0 : -EINVAL;
}

/* "none": the client sends no such property, and takes whatever the producer has. */
static bool omitted(const char *v, struct offer_range *r)
{
    memset(r, 0, sizeof(*r));
    r->omit = strcmp(v, "none") == 0;
    return r->omit;
}

static int key_size(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (omitted(v, &st->pod->size))
        return 0;
    return parse_range(v, 'x', &st->pod->size) < 0
               ? fail(err, "size", v, "none, WxH or DEFAULT MIN..MAX")
               : 0;
}

static int key_framerate(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (omitted(v, &st->pod->framerate))
        return 0;
    return parse_range(v, '/', &st->pod->framerate) < 0
               ? fail(err, "framerate", v, "none, N/D or DEFAULT MIN..MAX")
               : 0;
}

static int key_max_framerate(struct parse_state *st, const char *v, struct pwzc_error *err)
{
    if (omitted(v, &st->pod->max_framerate))
        return 0;
    return parse_range(v, '/', &st->pod->max_framerate) < 0
               ? fail(err, "max-framerate", v, "none, N/D or DEFAULT MIN..MAX")
               : 0;
}

static const struct key {
    const char *section, *name;
    key_fn fn;
} keys[] = {
    {"client", "description", key_description},
    {"client", "source", key_source},
    {"client", "data-types", key_data_types},
    {"client", "data-types-plain", key_data_types_plain},
    {"client", "data-type-choice", key_data_type_choice},
    {"client", "buffers", key_buffers},
    {"client", "buffer-blocks", key_buffer_blocks},
    {"client", "buffer-size", key_buffer_size},
    {"client", "buffer-stride", key_buffer_stride},
    {"client", "metas", key_metas},
    {"client", "meta-cursor-size", key_meta_cursor_size},
    {"client", "modifiers-min-server", key_modifiers_min},
    {"client", "drop-modifier-min-server", key_drop_min},
    {"client", "fallback", key_fallback},
    {"client", "restart-after", key_restart_after},
    {"client", "max-restarts", key_max_restarts},
    {"client", "on-pause", key_on_pause},
    {"client", "on-start", key_on_start},
    {"client", "pause-tolerance", key_pause_tolerance},
    {"client", "stream-flags", key_stream_flags},
    {"client", "buffers-sent", key_buffers_sent},
    {"client", "passes-on", key_passes_on},
    {"client", "properties", key_properties},
    {"client", "target", key_target},
    {"client", "dequeue", key_dequeue},
    {"client", "dequeue-takes", key_dequeue_takes},
    {"format", "formats", key_formats},
    {"format", "split", key_split},
    {"format", "modifiers", key_modifiers},
    {"format", "modifier-flags", key_modifier_flags},
    {"format", "size", key_size},
    {"format", "framerate", key_framerate},
    {"format", "max-framerate", key_max_framerate},
    {"format", "color-primaries", key_color_primaries},
    {"format", "transfer-function", key_transfer_function},
};

static int on_entry(void *data, const char *section, const char *key, const char *value,
                    struct pwzc_error *err)
{
    struct parse_state *st = data;

    if (!key) {
        if (strcmp(section, "client") == 0)
            return 0;
        if (strcmp(section, "format") != 0)
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                             "unknown section [%s] (known: [client], [format])", section);
        if (st->c->n_pods == CLIENT_MAX_PODS)
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "more than %d [format] sections",
                             CLIENT_MAX_PODS);
        st->pod = &st->c->pods[st->c->n_pods++];
        return 0;
    }
    for (size_t i = 0; i < SPA_N_ELEMENTS(keys); i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, key) == 0)
            return keys[i].fn(st, value, err);
    return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "unknown key '%s' in [%s]", key, section);
}

static int validate(const struct client_profile *c, const char *filename, struct pwzc_error *err)
{
    if (c->n_pods == 0)
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                         "%s: no [format] section: a client must offer something", filename);
    for (uint32_t i = 0; i < c->n_pods; i++) {
        const struct client_format *f = &c->pods[i];
        if (f->n_formats == 0 && !f->any_format)
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s: [format] #%u has no 'formats ='",
                             filename, i + 1);
        /* Modifiers are per format: "any" has no format to look them up for. */
        if (f->any_format && (f->has_modifier || f->split))
            return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL,
                             "%s: [format] #%u: 'formats = any' takes no modifiers and no split",
                             filename, i + 1);
    }
    if (!c->data_types)
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s: [client] has no 'data-types ='",
                         filename);
    return 0;
}

int client_parse(const char *text, const char *filename, struct client_profile *c,
                 struct pwzc_error *err)
{
    struct parse_state st = {.c = c};
    const char *base = strrchr(filename, '/');
    char *dot;
    int res;

    memset(c, 0, sizeof(*c));
    c->buffer_count = BUFFERS_NONE;
    c->max_restarts = 1;
    c->restart_after_ms = 3000;
    snprintf(c->name, sizeof(c->name), "%s", base ? base + 1 : filename);
    if ((dot = strstr(c->name, ".client")))
        *dot = '\0';
    if ((res = ini_parse(text, filename, on_entry, &st, err)) < 0)
        return res;
    return validate(c, filename, err);
}

static const struct ini_kind client_kind = {"clients", "client", "client"};

void client_list(char *buf, size_t size)
{
    ini_list(&client_kind, buf, size);
}

struct json_object *client_names(void)
{
    return ini_names(&client_kind);
}

int client_load(const char *name_or_path, struct client_profile *c, struct pwzc_error *err)
{
    char path[4096], *text = NULL;
    int res;

    if ((res = ini_load(&client_kind, name_or_path, &text, path, sizeof(path), err)) < 0)
        return res;
    res = client_parse(text, path, c, err);
    free(text);
    return res;
}

/* What an H100's EGL lists for XRGB8888 (seen on the GPU machine): twelve block-linear layouts
 * importable as 2D images, and LINEAR for external images only. Used where there is no GPU, so
 * that clients that take their modifiers from EGL still offer what they would on a real one. */
static const uint64_t standin_modifiers[] = {
    0x0300000000606010,    0x0300000000606011, 0x0300000000606012, 0x0300000000606013,
    0x0300000000606014,    0x0300000000606015, 0x0300000000e08010, 0x0300000000e08011,
    0x0300000000e08012,    0x0300000000e08013, 0x0300000000e08014, 0x0300000000e08015,
    DRM_FORMAT_MOD_LINEAR,
};

static void add_unique(struct offer_format *f, uint64_t m)
{
    for (uint32_t i = 0; i < f->n_modifiers; i++)
        if (f->modifiers[i] == m)
            return;
    if (f->n_modifiers < OFFER_MAX_MODIFIERS)
        f->modifiers[f->n_modifiers++] = m;
}

static void add_gpu(struct offer_format *f, const struct gpu_format *gf, bool only_2d)
{
    if (!gf) {
        for (size_t i = 0; i < SPA_N_ELEMENTS(standin_modifiers); i++)
            if (!only_2d || standin_modifiers[i] != DRM_FORMAT_MOD_LINEAR)
                add_unique(f, standin_modifiers[i]);
        return;
    }
    for (uint32_t i = 0; i < gf->n_modifiers; i++)
        if (!only_2d || !gf->external_only[i])
            add_unique(f, gf->modifiers[i]);
}

static bool dropped(const struct client_state *st, uint32_t format, uint64_t m)
{
    for (uint32_t i = 0; st && i < st->n_drops; i++)
        if (!st->drops[i].keep_last && st->drops[i].modifier == m &&
            (st->drops[i].format == format || st->drops[i].format == SPA_ID_INVALID))
            return true;
    return false;
}

static bool keep_last_only(const struct client_state *st, uint32_t format)
{
    for (uint32_t i = 0; st && i < st->n_drops; i++)
        if (st->drops[i].keep_last && st->drops[i].format == format)
            return true;
    return false;
}

/* The tokens of one pod, for one format (the first of the pod, when it has several). */
static void resolve(const struct client_format *cf, uint32_t format, const struct gpu_info *gpu,
                    const struct client_state *st, struct offer_format *f, bool *standin)
{
    const struct video_format *vf = format_by_spa(format);
    const struct gpu_format *gf =
        gpu && gpu->available && vf ? gpu_find_format(gpu, vf->drm_fourcc) : NULL;
    bool gpu_here = gpu && gpu->available;

    for (uint32_t t = 0; t < cf->n_tokens; t++) {
        switch (cf->tokens[t]) {
        case TOKEN_GPU:
        case TOKEN_GPU_2D:
            /* A real GPU that cannot import this format gives nothing; no GPU: the stand-in. */
            if (!gpu_here)
                *standin = true;
            if (gf || !gpu_here)
                add_gpu(f, gf, cf->tokens[t] == TOKEN_GPU_2D);
            break;
        case TOKEN_INVALID:
            add_unique(f, DRM_FORMAT_MOD_INVALID);
            break;
        case TOKEN_LINEAR:
            add_unique(f, DRM_FORMAT_MOD_LINEAR);
            break;
        case TOKEN_VALUE:
            add_unique(f, cf->values[t]);
            break;
        }
    }
    for (uint32_t i = 0; i < f->n_modifiers;) {
        if (dropped(st, format, f->modifiers[i]))
            memmove(&f->modifiers[i], &f->modifiers[i + 1],
                    (--f->n_modifiers - i) * sizeof(uint64_t));
        else
            i++;
    }
    if (keep_last_only(st, format) && f->n_modifiers > 1) {
        f->modifiers[0] = f->modifiers[f->n_modifiers - 1];
        f->n_modifiers = 1;
    }
}

static void add_pod(struct offer *out, const struct client_format *cf, const uint32_t *formats,
                    uint32_t n_formats, const struct gpu_info *gpu, const struct client_state *st,
                    bool *standin)
{
    struct offer_format *f;

    if (out->n_enums == OFFER_MAX_ENUM)
        return;
    f = &out->enums[out->n_enums];
    memset(f, 0, sizeof(*f));
    memcpy(f->formats, formats, n_formats * sizeof(uint32_t));
    f->n_formats = n_formats;
    f->has_modifier = cf->has_modifier;
    f->modifier_flags = cf->modifier_flags;
    f->size = cf->size;
    f->framerate = cf->framerate;
    f->max_framerate = cf->max_framerate;
    f->color_primaries = cf->color_primaries;
    f->transfer_function = cf->transfer_function;
    if (st && st->no_max_framerate)
        f->max_framerate = (struct offer_range){.omit = true};
    if (cf->has_modifier) {
        resolve(cf, formats[0], gpu, st, f, standin);
        /* Every modifier gone (dropped, or none importable): the client sends no such pod. */
        if (f->n_modifiers == 0)
            return;
    }
    out->n_enums++;
}

void client_offer(const struct client_profile *c, const struct gpu_info *gpu,
                  uint32_t daemon_version, const struct client_state *st, struct offer *out,
                  bool *standin)
{
    memset(out, 0, sizeof(*out));
    *standin = false;
    snprintf(out->name, sizeof(out->name), "%s", c->name);
    snprintf(out->description, sizeof(out->description), "%s", c->description);
    out->data_types = c->data_types;
    out->data_types_plain = c->data_types_plain ? c->data_types_plain : c->data_types;
    out->data_type_int = c->data_type_int;
    out->buffer_count = c->buffer_count;
    out->buffers_def = c->buffers_def;
    out->buffers_min = c->buffers_min;
    out->buffers_max = c->buffers_max;
    out->blocks = c->blocks;
    out->size = c->size;
    out->stride = c->stride;
    memcpy(out->metas, c->metas, sizeof(out->metas));
    out->n_metas = c->n_metas;
    out->cursor_size = c->cursor_size;
    out->stream_flags = c->stream_flags | PW_STREAM_FLAG_AUTOCONNECT;
    out->buffers_at_connect = c->buffers_at_connect;
    out->pauses_at_start = c->pauses_at_start;
    out->props_set = c->props_set;
    memcpy(out->props, c->props, sizeof(out->props));
    out->n_props = c->n_props;
    for (uint32_t i = 0; i < c->n_pods; i++) {
        const struct client_format *cf = &c->pods[i];
        /* Clients check the daemon's version before they offer modifiers at all. */
        if (cf->has_modifier && daemon_version && c->modifiers_min_server &&
            daemon_version < c->modifiers_min_server)
            continue;
        if (!cf->split) {
            add_pod(out, cf, cf->formats, cf->n_formats, gpu, st, standin);
            continue;
        }
        for (uint32_t f = 0; f < cf->n_formats; f++)
            add_pod(out, cf, &cf->formats[f], 1, gpu, st, standin);
    }
    out->gpu_modifiers = !*standin && gpu && gpu->available;
}

struct json_object *client_profile_json(const struct client_profile *c)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "name", json_object_new_string(c->name));
    json_object_object_add(obj, "description", json_object_new_string(c->description));
    json_object_object_add(obj, "source", json_object_new_string(c->source));
    return obj;
}
