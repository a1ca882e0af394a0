/* pwzc probe: every built-in offer against one producer, a verdict each, and a recommendation. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "formats.h"
#include "client-run.h"
#include "cmd.h"
#include "gpu.h"
#include "jobs.h"
#include "outcome.h"
#include "pwzc.h"
#include "report.h"
#include "pwcompat.h"
#include "session.h"
#include "versions.h"

enum {
    OPT_OFFERS = 0x100,
    OPT_LIST_OFFERS,
    OPT_CLIENTS,
    OPT_LIST_CLIENTS,
    OPT_ALLOW_RESTART,
    OPT_HOLD,
    OPT_FRAME_DELAY,
    OPT_FRAMES,
    OPT_JOBS
};

/* `works` after this many frames by default, once 1.5 s of steady streaming back them (trace.h). */
#define PROBE_WORKS_AFTER_FRAMES 10
#define PROBE_MAX_FRAMES         100000
#define PROBE_MAX_OFFERS         16

static const struct cmd_option options[] = {
    {"offers", OPT_OFFERS, CMD_ARG_REQUIRED, "--offers LIST",
     "only these built-in offers, comma-separated"},
    {"list-offers", OPT_LIST_OFFERS, CMD_ARG_NONE, "--list-offers",
     "list the built-in offers and exit (one a line; --json)"},
    {"clients", OPT_CLIENTS, CMD_ARG_OPTIONAL_WORD, "--clients[=LIST]",
     "will these apps work here? replay client profiles\n"
     "(obs, webrtc, ...; all when no LIST; or .client paths)"},
    {"list-clients", OPT_LIST_CLIENTS, CMD_ARG_NONE, "--list-clients",
     "list the client profiles and exit (one a line; --json)"},
    {"allow-backend-restart", OPT_ALLOW_RESTART, CMD_ARG_NONE, "--allow-backend-restart",
     "through the portal, also try offers the producer would\n"
     "refuse (on PipeWire 1.x they can take its backend down)"},
    {"hold", OPT_HOLD, CMD_ARG_REQUIRED, "--hold N",
     "each offer's consumer keeps its last N buffers (a client\nthat keeps frames)"},
    {"frame-delay", OPT_FRAME_DELAY, CMD_ARG_REQUIRED, "--frame-delay MS",
     "each offer's consumer takes MS milliseconds a frame"},
    {"frames", OPT_FRAMES, CMD_ARG_REQUIRED, "--frames N",
     "an offer works once N frames came in 1.5 s of steady\n"
     "streaming, nothing dropped (default 10; 0: watch the\n"
     "whole --timeout, as for a producer that fails later)"},
    {"jobs", OPT_JOBS, CMD_ARG_REQUIRED, "--jobs N",
     "run up to N offers (or clients) at once, each against a\n"
     "producer of its own: --emulate, --sandbox, --mutter\n"
     "(default 1: one after the other)"},
    {NULL, 0, 0, NULL, NULL},
};

struct probe_args {
    struct session_options session; /* first: the shared parser fills it */
    const char *offers;
    bool clients;
    const char *client_list; /* NULL: every profile */
    bool has_list;
    enum catalog_kind list;        /* --list-offers, --list-clients */
    bool allow_backend_restart;    /* offers that may take a portal backend down are tried too */
    uint32_t hold, frame_delay_ms; /* the consumer's own behaviour, for every offer */
    uint32_t works_after_frames;   /* --frames */
    uint32_t jobs;                 /* offers or clients run at once */
};

struct probe {
    struct offer offers[PROBE_MAX_OFFERS];
    uint32_t n_offers;
    struct outcome results[PROBE_MAX_OFFERS];
    uint32_t n_results;                 /* the offers run so far */
    struct json_object *backend_events; /* what became of the portal's backend, in words */
};

static void init(void *args)
{
    struct probe_args *a = args;

    a->works_after_frames = PROBE_WORKS_AFTER_FRAMES;
    a->jobs = 1;
}

static int option(void *args, int key, const char *value, struct pwzc_error *err)
{
    struct probe_args *a = args;

    if (key == OPT_OFFERS)
        a->offers = value;
    else if (key == OPT_CLIENTS) {
        a->clients = true;
        a->client_list = value;
    } else if (key == OPT_LIST_OFFERS || key == OPT_LIST_CLIENTS) {
        a->has_list = true;
        a->list = key == OPT_LIST_OFFERS ? CATALOG_OFFERS : CATALOG_CLIENTS;
    } else if (key == OPT_ALLOW_RESTART)
        a->allow_backend_restart = true;
    else if (key == OPT_HOLD)
        return stream_parse_hold(value, &a->hold, err);
    else if (key == OPT_FRAME_DELAY)
        return stream_parse_frame_delay(value, &a->frame_delay_ms, err);
    else if (key == OPT_FRAMES)
        return pwzc_parse_u32_option("--frames", value, PROBE_MAX_FRAMES, "a number of frames",
                                     &a->works_after_frames, err);
    else if (key == OPT_JOBS)
        return pwzc_parse_u32_range_option("--jobs", value, 1, JOBS_MAX, "a number of offers",
                                           &a->jobs, err);
    return 0;
}

/* --offers LIST, or every built-in; unknown names are the user's mistake, said before work. */
static int build_offers(struct probe *p, const char *list, const struct gpu_info *gpu,
                        struct pwzc_error *err)
{
    char copy[512], *save = NULL, *word;

    if (!list) {
        for (uint32_t i = 0; i < offer_builtin_count(); i++)
            offer_builtin(offer_builtin_name(i), gpu, &p->offers[p->n_offers++]);
        return 0;
    }
    snprintf(copy, sizeof(copy), "%s", list);
    for (word = strtok_r(copy, ", ", &save); word; word = strtok_r(NULL, ", ", &save)) {
        if (p->n_offers >= SPA_N_ELEMENTS(p->offers))
            return pwzc_fail(err, PWZC_EXIT_USAGE, -E2BIG, "--offers: too many offers");
        if (offer_builtin(word, gpu, &p->offers[p->n_offers++]) == -ENOENT)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -ENOENT, "unknown offer '%s' (built-in: %s)",
                             word, report_offer_names());
    }
    return p->n_offers ? 0 : pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--offers: empty list");
}

static bool has_fallback(const struct offer *offer)
{
    bool modifier = false, plain = false;

    for (uint32_t i = 0; i < offer->n_enums; i++) {
        modifier |= offer->enums[i].has_modifier;
        plain |= !offer->enums[i].has_modifier;
    }
    return modifier && plain;
}

static bool streams_dmabuf(const struct outcome *result)
{
    return result->data_type == SPA_DATA_DmaBuf;
}

/* Zero-copy first; then an offer that also takes DMA-BUF where the producer has it; then order. */
static int pick_recommended(const struct probe *p)
{
    int best = -1, best_score = -1;

    for (uint32_t i = 0; i < p->n_results; i++) {
        int score;
        if (p->results[i].verdict != VERDICT_WORKS)
            continue;
        score = (streams_dmabuf(&p->results[i]) ? 2 : 0) + (has_fallback(&p->offers[i]) ? 1 : 0);
        if (score > best_score) {
            best = (int)i;
            best_score = score;
        }
    }
    return best;
}

/* When nothing works, the most hopeful verdict says where to look. */
static const char *nothing_works(const struct probe *p)
{
    bool flapping = false, loop = false;

    for (uint32_t i = 0; i < p->n_results; i++) {
        flapping |= p->results[i].verdict == VERDICT_FLAPPING;
        loop |= p->results[i].verdict == VERDICT_RENEGOTIATION_LOOP;
    }
    if (flapping)
        return "offers stream but keep falling back to Paused: the producer renegotiates again "
               "and again; no offer is stable";
    if (loop)
        return "the producer answers every Format with a new EnumFormat: no offer settles";
    return "no offer reached Streaming with frames: see each offer's reason above";
}

static void recommend(struct json_object *tree, const struct probe *p)
{
    int best = pick_recommended(p);
    char why[512];
    const struct outcome *r;
    bool other_fd;

    if (best < 0) {
        json_object_object_add(tree, "recommended", NULL);
        json_object_object_add(tree, "recommendation", json_object_new_string(nothing_works(p)));
        return;
    }
    r = &p->results[best];
    /* A DMA-BUF whose fd is something else (a memfd passed as DmaBuf) is no zero-copy. */
    other_fd = r->fd_kind[0] && strcmp(r->fd_kind, "dmabuf") != 0;
    if (streams_dmabuf(r))
        snprintf(why, sizeof(why), "it streams DMA-BUF (zero-copy)%s%s",
                 other_fd ? "; here the fd is a " : "", other_fd ? r->fd_kind : "");
    else if (has_fallback(&p->offers[best]))
        snprintf(why, sizeof(why),
                 "it streams here through SHM (%s) and would take DMA-BUF from a producer that "
                 "offers a modifier: one EnumFormat with modifiers, one without, MemFd|DmaBuf",
                 data_type_name(r->data_type));
    else
        snprintf(why, sizeof(why), "it streams (%s); no DMA-BUF offer does here",
                 data_type_name(r->data_type));
    json_object_object_add(tree, "recommended", json_object_new_string(p->offers[best].name));
    json_object_object_add(tree, "recommendation", json_object_new_string(why));
}

/* The last offer before `from` that ended in a stream error: what may have taken the producer
 * down with it. -1: none did. */
static int last_error(const struct probe *p, uint32_t from)
{
    for (int j = (int)from - 1; j >= 0; j--)
        if (p->results[j].verdict == VERDICT_ERROR)
            return j;
    return -1;
}

static const char *stream_error_of(const struct probe *p, int j)
{
    return p->results[j].stream_error[0] ? p->results[j].stream_error : "?";
}

/* What became of the portal's backend after offer j, in words. */
static void backend_words(const struct probe *p, const struct session *s, int j, char *buf,
                          size_t size)
{
    const struct portal_backend *b = &s->backend_event.lost;

    if (s->backend_event.restarted)
        snprintf(buf, size,
                 "%s exited after offer %s's stream error '%.120s'; D-Bus activation started it "
                 "again (pid %u), as the next portal request on a desktop would",
                 b->program, p->offers[j].name, stream_error_of(p, j), s->backend_event.pid);
    else if (!s->backend_event.activatable)
        snprintf(buf, size,
                 "%s exited after offer %s's stream error '%.120s', and nothing on this bus "
                 "restarts it (no D-Bus service for %s, as a desktop installs in dbus-1/services)",
                 b->program, p->offers[j].name, stream_error_of(p, j), b->name);
    else
        snprintf(buf, size,
                 "%s exited after offer %s's stream error '%.120s', and D-Bus activation did not "
                 "bring it back",
                 b->program, p->offers[j].name, stream_error_of(p, j));
}

/* A producer can die of an earlier offer's stream error (xdpw exits on the core error that
 * PipeWire 1.x sends a producer whose link failed) and take the session with it: the offers
 * left are reported as not tried, and why, instead of losing the report. */
static bool skip_the_rest(struct probe *p, const struct session *s, uint32_t from,
                          const char *cause)
{
    int j = last_error(p, from);
    char why[600], words[500];

    if (j < 0)
        return false;
    if (s->backend_event.lost.name[0]) {
        backend_words(p, s, j, words, sizeof(words));
        snprintf(why, sizeof(why), "not tried: %s", words);
        json_object_array_add(p->backend_events, json_object_new_string(words));
    } else
        snprintf(why, sizeof(why), "not tried: no session after offer %s's stream error (%.200s)",
                 p->offers[j].name, cause);
    for (uint32_t k = from; k < p->n_offers; k++)
        if (!p->offers[k].skip_reason[0])
            snprintf(p->offers[k].skip_reason, sizeof(p->offers[k].skip_reason), "%s", why);
    return true;
}

/* A fresh producer for offer i; when none comes after an offer's stream error, the rest are
 * skipped and the probe goes on, so that failure is not the run's error. */
static int renew(struct probe *p, struct session *s, uint32_t i, const struct pwzc_options *opts,
                 struct pwzc_error *err)
{
    struct pwzc_error renewal = {0};

    if (i == 0 || p->offers[i].skip_reason[0] || session_renew(s, opts, &renewal) == 0 ||
        skip_the_rest(p, s, i, renewal.message))
        return 0;
    return pwzc_fail(err, renewal.exit_code, -EIO, "%s", renewal.message);
}

/* The offer ran in a session whose backend had to be started again: its result says so. */
static void note_backend(struct probe *p, const struct session *s, uint32_t i)
{
    char words[500];
    int j = last_error(p, i);

    if (!s->backend_event.restarted || j < 0)
        return;
    backend_words(p, s, j, words, sizeof(words));
    json_object_object_add(p->results[i].json, "note", json_object_new_string(words));
    json_object_array_add(p->backend_events, json_object_new_string(words));
}

/* The last offer may have taken the backend down too: leave the desktop as it was found, where
 * the bus can start the backend again, and say so either way. */
static void leave_backend_standing(struct probe *p, struct session *s)
{
    struct pwzc_error quiet = {0};
    int j = last_error(p, p->n_offers);
    char words[500];

    if (s->kind != SESSION_PORTAL || j < 0)
        return;
    session_revive_backend(s, &quiet);
    if (!s->backend_event.lost.name[0])
        return;
    backend_words(p, s, j, words, sizeof(words));
    json_object_array_add(p->backend_events, json_object_new_string(words));
}

/* Would the producer's refusal of this offer hurt a portal backend? On the daemons where a
 * refused link is a fatal error for the producer too, xdg-desktop-portal-wlr exits on it, and
 * with it every screencast it serves: the user's own OBS or browser share. */
static bool backend_at_risk(const struct session *s)
{
    return s->kind == SESSION_PORTAL && version_parse(s->conn.daemon_version) >=
                                            version_parse(PWZC_REFUSED_LINK_HURTS_PRODUCER_SINCE);
}

/* Offers the producer would refuse go last, so that what can be learned safely is learned
 * first; without --allow-backend-restart they are held back, and the report says why. */
static int guard_backend(struct probe *p, const struct session *s, const struct producer *prod,
                         bool allowed)
{
    struct offer *sorted = malloc(sizeof(p->offers));
    const char *refused[PROBE_MAX_OFFERS];
    uint32_t n = 0;

    if (!sorted)
        return -ENOMEM;
    for (uint32_t i = 0; i < p->n_offers; i++)
        refused[i] = p->offers[i].skip_reason[0] ? NULL : outcome_would_refuse(prod, &p->offers[i]);
    for (int last = 0; last < 2; last++)
        for (uint32_t i = 0; i < p->n_offers; i++) {
            if ((refused[i] != NULL) != last)
                continue;
            sorted[n] = p->offers[i];
            if (refused[i] && !allowed)
                snprintf(sorted[n].skip_reason, sizeof(sorted[n].skip_reason),
                         "held back: the producer would refuse it (%.200s), and on this PipeWire a "
                         "refused link is a fatal error for the producer: a portal backend such "
                         "as xdg-desktop-portal-wlr exits on it, and every screencast it serves "
                         "with it; --allow-backend-restart tries it",
                         refused[i]);
            n++;
        }
    memcpy(p->offers, sorted, n * sizeof(*sorted));
    free(sorted);
    return 0;
}

static struct stream_options probe_stream_options(const struct probe_args *a)
{
    return (struct stream_options){.window_ms = a->session.timeout_ms,
                                   .fixate_grace_ms = 150,
                                   .works_after_frames = a->works_after_frames,
                                   .hold_buffers = a->hold,
                                   .frame_delay_ms = a->frame_delay_ms};
}

/* What ends the probe after offer i: the daemon or the session gone, or a producer that went
 * away when no error of its stream explains it. */
static int stop_after(const struct probe *p, uint32_t i, enum session_kind kind, bool lost,
                      bool closed, uint32_t node_id, const struct pwzc_options *opts,
                      struct pwzc_error *err)
{
    if (lost)
        return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE,
                         "the PipeWire daemon went away during the probe");
    if (closed) {
        report_progress(opts, NULL);
        return pwzc_fail(err, PWZC_EXIT_CLOSED, -ECANCELED,
                         "the compositor closed the screencast session (Session.Closed) during "
                         "offer %s: the report stops there",
                         p->offers[i].name);
    }
    /* A producer may drop its node after its stream failed (xdpw on 1.x); the next offer opens a
     * session of its own, so only an existing node ends the probe. */
    if (p->results[i].producer_vanished &&
        (kind == SESSION_NODE || p->results[i].verdict != VERDICT_ERROR)) {
        report_progress(opts, NULL);
        return pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                         "the producer's node %u went away during offer %s: the report stops "
                         "there",
                         node_id, p->offers[i].name);
    }
    return 0;
}

static int run_offers(struct probe *p, struct session *s, const struct producer *producer,
                      const struct probe_args *a, const struct pwzc_options *opts,
                      struct pwzc_error *err)
{
    struct stream_options so = probe_stream_options(a);
    int res;

    for (uint32_t i = 0; i < p->n_offers; i++) {
        report_progress(opts, "probe: offer %s (%u/%u)...", p->offers[i].name, i + 1, p->n_offers);
        if (renew(p, s, i, opts, err) < 0)
            return -EIO;
        so.target_id = s->node_id;
        so.target_serial = s->serial;
        if (outcome_run(s, producer, &p->offers[i], &so, opts->verbose > 0, &p->results[i]) < 0)
            return pwzc_fail(err, PWZC_EXIT_INTERRUPTED, -EINTR,
                             "interrupted: the report is incomplete");
        p->n_results = i + 1;
        note_backend(p, s, i);
        if ((res = stop_after(p, i, s->kind, s->conn.lost, session_closed(s), s->node_id, opts,
                              err)) < 0)
            return res;
    }
    leave_backend_standing(p, s);
    report_progress(opts, NULL);
    return 0;
}

/* --jobs: what one offer's own session came to, read in the offers' order once all have run. */
struct offer_end {
    int res; /* the session's opening or the offer's run: 0 or a negative errno */
    struct pwzc_error err;
    bool lost, closed;
    uint32_t node_id;
};

struct at_once {
    struct probe *p;
    const struct producer *producer;
    struct pwzc_options opts; /* the run's, with the stop its sessions share */
    atomic_bool stop;
    struct session_options session; /* the probe's, on the daemon it already runs */
    struct stream_options so;
    struct offer_end ends[PROBE_MAX_OFFERS];
};

/* One offer, on a thread of its own, against a producer of its own: the fresh producer a
 * sequential probe renews for each offer, started beside the others'. */
static void run_offer_alone(void *data, uint32_t i)
{
    struct at_once *o = data;
    struct offer_end *end = &o->ends[i];
    struct stream_options so = o->so;
    struct session s;

    if (o->p->offers[i].skip_reason[0]) {
        end->res = outcome_run(NULL, o->producer, &o->p->offers[i], &so, false, &o->p->results[i]);
        return;
    }
    if ((end->res = session_open(&s, &o->opts, &o->session, &end->err)) < 0)
        return;
    so.target_id = s.node_id;
    so.target_serial = s.serial;
    end->res =
        outcome_run(&s, o->producer, &o->p->offers[i], &so, o->opts.verbose > 0, &o->p->results[i]);
    end->lost = s.conn.lost;
    end->closed = session_closed(&s);
    end->node_id = s.node_id;
    session_close(&s);
}

static void offer_done(void *data, uint32_t done, uint32_t n)
{
    struct at_once *o = data;

    report_progress(&o->opts, "probe: %u of %u offers done...", done, n);
}

/* An offer that fixated in vain among the others (stream_fixated_in_vain) runs again, alone,
 * as the one-at-a-time probe would have run it. */
static void rerun_fixated_in_vain(struct at_once *o)
{
    for (uint32_t i = 0; i < o->p->n_offers; i++) {
        struct outcome *r = &o->p->results[i];
        if (o->ends[i].res < 0 || !r->fixated_in_vain)
            continue;
        report_progress(&o->opts, "probe: offer %s again, alone...", o->p->offers[i].name);
        json_object_put(r->json);
        o->ends[i] = (struct offer_end){0};
        run_offer_alone(o, i);
        if (r->json)
            json_object_object_add(r->json, "note", json_object_new_string(RERUN_NOTE));
    }
}

/* The offers' results in order, as the sequential probe would have stopped on them. */
static int collect_offers(struct probe *p, struct at_once *o, enum session_kind kind,
                          struct pwzc_error *err)
{
    int res = 0;

    for (uint32_t i = 0; i < p->n_offers && res == 0; i++) {
        struct offer_end *end = &o->ends[i];
        if (end->res == -EINTR)
            res = pwzc_fail(err, PWZC_EXIT_INTERRUPTED, -EINTR,
                            "interrupted: the report is incomplete");
        else if (end->res < 0) {
            *err = end->err;
            res = end->res;
        } else {
            p->n_results = i + 1;
            res = stop_after(p, i, kind, end->lost, end->closed, end->node_id, &o->opts, err);
        }
    }
    for (uint32_t i = p->n_results; i < p->n_offers; i++)
        json_object_put(p->results[i].json);
    return res;
}

static int run_offers_at_once(struct probe *p, struct session *s, const struct producer *producer,
                              const struct probe_args *a, const struct pwzc_options *opts,
                              struct pwzc_error *err)
{
    struct at_once *o = calloc(1, sizeof(*o));
    int res;

    if (!o)
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    o->p = p;
    o->producer = producer;
    o->opts = *opts;
    o->opts.stop = &o->stop;
    o->so = probe_stream_options(a);
    o->session = a->session;
    /* The environment already points at the daemon this session started. */
    o->session.sandbox = false;
    report_progress(opts, "probe: %u offers, %u at once...", p->n_offers, a->jobs);
    if ((res = jobs_run(p->n_offers, a->jobs, run_offer_alone, offer_done, o)) < 0)
        res = pwzc_fail(err, PWZC_EXIT_INTERNAL, res, "cannot start the offers' threads: %s",
                        strerror(-res));
    else {
        rerun_fixated_in_vain(o);
        res = collect_offers(p, o, s->kind, err);
    }
    report_progress(opts, NULL);
    free(o);
    return res;
}

/* A verdict made beside others says so: they shared the daemon and the CPU. */
static void note_jobs(struct json_object *tree, const struct probe_args *a)
{
    struct json_object *session;

    if (a->jobs > 1 && json_object_object_get_ex(tree, "session", &session))
        json_object_object_add(session, "at_once", json_object_new_int((int)a->jobs));
}

static struct json_object *probe_tree(struct probe *p, struct session *s,
                                      const struct gpu_info *gpu, const struct probe_args *a,
                                      const struct pwzc_options *opts, int *res,
                                      struct pwzc_error *err)
{
    struct json_object *tree, *offers = json_object_new_array();
    struct producer producer;

    tree = outcome_report_head(s, &producer, gpu);
    note_jobs(tree, a);
    p->backend_events = json_object_new_array();
    if (backend_at_risk(s) && guard_backend(p, s, &producer, a->allow_backend_restart) < 0)
        *res = pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    else
        *res = a->jobs > 1 ? run_offers_at_once(p, s, &producer, a, opts, err)
                           : run_offers(p, s, &producer, a, opts, err);
    for (uint32_t i = 0; i < p->n_results; i++)
        json_object_array_add(offers, p->results[i].json);
    json_object_object_add(tree, "offers", offers);
    if (json_object_array_length(p->backend_events) > 0)
        json_object_object_add(tree, "backend_events", p->backend_events);
    else
        json_object_put(p->backend_events);
    recommend(tree, p);
    producer_clear(&producer);
    return tree;
}

/* probe --clients: "will OBS, a browser, ... work against this producer?" */
static int probe_clients(const struct probe_args *a, const struct pwzc_options *opts,
                         const struct gpu_info *gpu, struct pwzc_error *err)
{
    struct client_watch watch = {.window_ms = a->session.timeout_ms,
                                 .works_after_frames = a->works_after_frames};
    struct client_profile *clients = NULL;
    struct json_object *tree, *list;
    struct producer producer;
    struct session s;
    uint32_t n;
    bool all_work = false;
    int res;

    if ((res = clients_load(a->client_list, &clients, &n, err)) < 0 ||
        (res = session_open(&s, opts, &a->session, err)) < 0) {
        free(clients);
        return res;
    }
    tree = outcome_report_head(&s, &producer, gpu);
    note_jobs(tree, a);
    res =
        clients_probe(&s, &producer, clients, n, gpu, opts, &watch, a->jobs, &list, &all_work, err);
    json_object_object_add(tree, "clients", list);
    producer_clear(&producer);
    session_close(&s);
    /* A run cut short (the node went away) still reports the clients it got through. */
    if (list && json_object_array_length(list) > 0)
        report_print(stdout, "clients", tree, opts);
    json_object_put(tree);
    free(clients);
    if (res < 0)
        return res;
    return all_work ? PWZC_EXIT_OK : PWZC_EXIT_NOT_WORKING;
}

/* Offers run at once only where each can have a producer of its own: a portal session is one
 * grant of the user's, and a --node one producer that every consumer would share. */
static int check_jobs(const struct probe_args *a, struct pwzc_error *err)
{
    if (a->jobs == 1 || a->session.kind == SESSION_EMULATE || a->session.kind == SESSION_MUTTER)
        return 0;
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                     "--jobs: offers run at once only against producers that can be started once "
                     "for each (--emulate, --sandbox, --mutter), not against %s",
                     a->session.kind == SESSION_PORTAL ? "the portal (one session is one grant)"
                                                       : "an existing node (one producer)");
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct probe_args *a = args;
    struct probe *p;
    struct gpu_info gpu;
    struct session s;
    struct json_object *tree;
    int res, rc;

    if (a->has_list) {
        catalog_print(a->list, opts);
        return 0;
    }
    if ((res = session_options_check(&a->session, opts, err)) < 0 || (res = check_jobs(a, err)) < 0)
        return res;
    gpu_query(&gpu);
    if (a->clients)
        return probe_clients(a, opts, &gpu, err);
    if (!(p = calloc(1, sizeof(*p))))
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    if ((res = build_offers(p, a->offers, &gpu, err)) < 0 ||
        (res = session_open(&s, opts, &a->session, err)) < 0) {
        free(p);
        return res;
    }
    tree = probe_tree(p, &s, &gpu, a, opts, &res, err);
    session_close(&s);
    /* A lost node or a closed session still shows what was learned before it went. */
    if (res == 0 || res == -ENOENT || res == -ECANCELED)
        report_print(stdout, "probe", tree, opts);
    json_object_put(tree);
    rc = res < 0 ? res : pick_recommended(p) >= 0 ? PWZC_EXIT_OK : PWZC_EXIT_NOT_WORKING;
    free(p);
    return rc;
}

const struct cmd_entry cmd_probe_entry = {
    .name = "probe",
    .usage = "[--offers LIST | --clients[=LIST]] [--json]",
    .summary = "try every offer against a producer and recommend one",
    .options = options,
    .session = true,
    .args_size = sizeof(struct probe_args),
    .init = init,
    .option = option,
    .run = run,
};
