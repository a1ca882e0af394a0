/* SPA pods as JSON: every pod pwzc sends or receives is shown through these. */
#pragma once

#include <json-c/json.h>
#include <spa/param/video/raw.h>
#include <spa/pod/pod.h>

/* Why a pod cannot be read safely (a size that does not hold, nesting past any real param), or
 * NULL. Every function here checks it first: pods come from another process. */
const char *pod_problem(const struct spa_pod *pod);

/* The whole pod, every property, with names from SPA's type tables and DRM modifier names; a
 * malformed one as {"type": "malformed", "id", "props": {}, "malformed": why}. */
struct json_object *pod_to_json(const struct spa_pod *pod);

/* What a user asks of an EnumFormat or Format: formats, size, framerates, and the modifier
 * property (null when there is none: the producer can only do SHM). NULL for a pod that is not
 * an object, or is malformed. */
struct json_object *pod_format_summary(const struct spa_pod *format);

/* Names the param id: "EnumFormat", "Format", "Buffers", ... */
const char *pod_param_name(uint32_t id);

/* A Format param that still carries a modifier choice (DONT_FIXATE, or several values): someone
 * has to pick one before buffers can be allocated. Fills the candidates, at most max of them. */
int pod_format_modifier_choice(const struct spa_pod *format, uint64_t *modifiers, uint32_t max,
                               uint32_t *n_modifiers);

/* spa_format_video_raw_parse, for a pod that has passed pod_problem(): -EINVAL otherwise. */
int pod_format_parse(const struct spa_pod *format, struct spa_video_info_raw *info);
