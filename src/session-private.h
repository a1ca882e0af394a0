/* What the session's files share among themselves; the rest of pwzc sees session.h. */
#pragma once

#include "session.h"

/* How long a node may take to appear, or to be gone. */
#define NODE_WAIT_MS 2000

/* session.c: connecting (with D-Bus driven from PipeWire's loop), and the producer. */
int session_connect(struct session *s, const struct pwzc_options *opts, struct pwzc_error *err);
void session_disconnect(struct session *s);
int session_start_producer(struct session *s, const struct pwzc_options *opts,
                           struct pwzc_error *err);
void session_stop_producer(struct session *s);

/* session-emulator.c: the emulator child. */
int session_check_profile(const char *name, struct pwzc_error *err);
int session_start_emulator(struct session *s, const struct pwzc_options *opts,
                           struct pwzc_error *err);
void session_stop_emulator(struct session *s);

/* session-node.c: the producer's node. */
int session_find_node(struct session *s, struct pwzc_error *err);
int session_wait_node_gone(struct session *s, struct pwzc_error *err);
int session_find_node_again(struct session *s, uint64_t deadline, struct pwzc_error *err);
