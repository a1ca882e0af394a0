/* Finding the producer's node: by id, gone before a new one counts, by name after a restart. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "session-private.h"

int session_find_node(struct session *s, struct pwzc_error *err)
{
    /* A compositor's node appears a moment after it is announced; an existing node is there. */
    uint32_t wait = s->kind == SESSION_NODE ? 0 : NODE_WAIT_MS;
    const struct reg_node *node;
    char sources[512];

    /* Node ids are reused: a node that had this id before (another session's, with offers run
     * at once, or another screencast's) may still be in our view. The producer announced its
     * node after the daemon removed that one, so a round trip brings the removal in. */
    if (connection_roundtrip(&s->conn, NODE_WAIT_MS) == -EPIPE)
        return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
    node = registry_wait_node(&s->reg, s->node_id, wait);
    if (!node) {
        registry_describe_video_sources(&s->reg, sources, sizeof(sources));
        pwzc_fail(err, PWZC_EXIT_NO_NODE, -ENOENT,
                  "node %u does not exist (video sources here: %s)", s->node_id, sources);
        return -ENOENT;
    }
    if (!registry_node_is_video_source(node)) {
        pwzc_fail(err, PWZC_EXIT_NO_NODE, -ENOTSUP, "node %u is '%s' (%s), not a video source",
                  s->node_id, node->name,
                  node->media_class[0] ? node->media_class : "no media.class");
        return -ENOTSUP;
    }
    s->serial = node->serial;
    snprintf(s->node_name, sizeof(s->node_name), "%s", node->name);
    snprintf(s->media_class, sizeof(s->media_class), "%s", node->media_class);
    return 0;
}

int session_wait_node_gone(struct session *s, struct pwzc_error *err)
{
    uint64_t deadline = pwzc_now_ns() + NODE_WAIT_MS * 1000000ull;

    /* Node ids are reused: the old node must be gone from our view before a new one counts. */
    while (registry_find_node(&s->reg, s->node_id) && pwzc_now_ns() < deadline)
        if (connection_run(&s->conn, 20) == -EPIPE)
            return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
    return 0;
}

int session_find_node_again(struct session *s, uint64_t deadline, struct pwzc_error *err)
{
    uint64_t now = pwzc_now_ns();
    const struct reg_node *node = registry_wait_video_source(
        &s->reg, s->node_name, now < deadline ? (uint32_t)((deadline - now) / 1000000ull) : 0);

    if (!node)
        return pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                         "the daemon came back, but no video source '%s' did", s->node_name);
    s->node_id = node->id;
    s->serial = node->serial;
    return 0;
}
