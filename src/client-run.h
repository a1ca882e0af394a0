/* A client profile replayed against a producer, fallback steps and all. */
#pragma once

#include <json-c/json.h>

#include "client.h"
#include "gpu.h"
#include "outcome.h"
#include "session.h"

/* Runs the client's steps, each in a fresh stream (and a fresh producer where the session can
 * make one), and describes what it came to in *result: verdict, the step it came at, the
 * negotiated format, modifier and buffers, the import result (tried with EGL, or unavailable
 * here), one sentence why, and every step. A negative errno when interrupted, the daemon went
 * away or the next producer could not be had (err says which); *result is then what was learned
 * before, or NULL. */
int client_run(struct session *s, const struct producer *producer, const struct client_profile *c,
               const struct gpu_info *gpu, const struct pwzc_options *opts, uint32_t window_ms,
               bool timelines, struct json_object **result, struct pwzc_error *err);

#define CLIENTS_MAX 32

/* The named clients ("obs,webrtc"), or every profile in the data directory when list is NULL;
 * *out is freed by the caller. An unknown or malformed one is PWZC_EXIT_PROFILE. */
int clients_load(const char *list, struct client_profile **out, uint32_t *n,
                 struct pwzc_error *err);

/* probe --clients: each client in turn against the producer, a fresh one for each; *list gets
 * the clients it got through, even when a negative errno says the run was cut short. */
int clients_probe(struct session *s, const struct producer *producer,
                  const struct client_profile *clients, uint32_t n, const struct gpu_info *gpu,
                  const struct pwzc_options *opts, uint32_t window_ms, struct json_object **list,
                  bool *all_work, struct pwzc_error *err);
