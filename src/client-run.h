/* A client profile replayed against a producer, fallback steps and all. */
#pragma once

#include <json-c/json.h>

#include "client.h"
#include "gpu.h"
#include "outcome.h"
#include "session.h"

/* How a client's replay ended: at a step's verdict, or by what the client does about it. */
enum client_end {
    CLIENT_END_VERDICT,          /* the last step's verdict is the client's */
    CLIENT_END_STOPPED_AT_PAUSE, /* its capture loop ended at a Streaming -> Paused */
    CLIENT_END_IMPORT_FAILED,    /* frames came as DMA-BUF it cannot import, no fallback left */
    CLIENT_END_CRASHES,          /* it reads a frame through a mapping it may not read */
};

/* What a client came to: the decisions read these fields, never the JSON. */
struct client_result {
    enum verdict verdict; /* the last step's */
    enum client_end end;
    bool producer_vanished;
    bool own_paused; /* the client had paused and resumed its own stream (on-start) */
    bool fixated_in_vain;     /* a step's, see stream_fixated_in_vain() */
    struct json_object *json; /* its description for the report (NULL: none); caller owns it */
};

/* The client shows frames here. */
bool client_result_works(const struct client_result *r);
/* "works", "stopped-at-pause", "import-failed", "crashes", or the last step's verdict: for the
 * report. */
const char *client_result_verdict_name(const struct client_result *r);

/* How long each step of a client is watched: the window, and the frames after which `works` may
 * end it early (stream_options.works_after_frames; 0: the whole window). */
struct client_watch {
    uint32_t window_ms;
    uint32_t works_after_frames;
};

/* Runs the client's steps, each in a fresh stream (and a fresh producer where the session can
 * make one), and describes what it came to in *result (its json: verdict, the step it came
 * at, the negotiated format, modifier and buffers, the import result (tried with EGL, or
 * unavailable here), one sentence why, and every step). A negative errno when interrupted, the
 * daemon went away or the next producer could not be had (err says which); *result then holds
 * what was learned before, its json NULL when nothing was. */
int client_run(struct session *s, const struct producer *producer, const struct client_profile *c,
               const struct gpu_info *gpu, const struct pwzc_options *opts,
               const struct client_watch *watch, bool timelines, struct client_result *result,
               struct pwzc_error *err);

#define CLIENTS_MAX 32

/* The named clients ("obs,webrtc"), or every profile in the data directory when list is NULL;
 * *out is freed by the caller. An unknown or malformed one is PWZC_EXIT_PROFILE. */
int clients_load(const char *list, struct client_profile **out, uint32_t *n,
                 struct pwzc_error *err);

/* probe --clients: each client in turn against the producer, a fresh one for each, or up to
 * jobs of them at once, each in a session of its own (a session that can start its producer
 * again: the emulator, Mutter); *list gets the clients it got through, even when a negative
 * errno says the run was cut short. */
int clients_probe(struct session *s, const struct producer *producer,
                  const struct client_profile *clients, uint32_t n, const struct gpu_info *gpu,
                  const struct pwzc_options *opts, const struct client_watch *watch, uint32_t jobs,
                  struct json_object **list, bool *all_work, struct pwzc_error *err);
