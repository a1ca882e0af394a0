/* Fuzzes what pwzc does with a param pod a producer sent: the input is one pod, framed the way the
 * native protocol frames it, and it is handled as every param_changed and EnumFormat path
 * handles one: pod_to_json (-v, --json timelines), pod_format_summary (registry.c's
 * EnumFormats, stream.c's Format), and stream.c's on_format() with the fixation that follows it
 * (pod_format_parse, which is spa_format_video_raw_parse behind pod_problem();
 * pod_format_modifier_choice, offer_pick_modifier, the fixated EnumFormats), then the report
 * renders the JSON the pod became, as text and as JSON. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/video/format-utils.h>
#include <spa/pod/pod.h>

#include "formats.h"
#include "offers.h"
#include "pod.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* stream.c's MAX_CHOICE: what on_format() keeps of a modifier choice. */
#define MAX_CHOICE 64

/* The native protocol hands a param over only when its header fits the message
 * (spa_pod_parser_get_pod); nothing inside the pod is checked. The copy is exactly the pod, so a
 * read past its end is ASan's to see. */
static struct spa_pod *framed_pod(const uint8_t *data, size_t size)
{
    struct spa_pod header;
    struct spa_pod *pod;

    if (size < sizeof(header))
        return NULL;
    memcpy(&header, data, sizeof(header));
    if (SPA_POD_SIZE(&header) > size)
        return NULL;
    if (!(pod = malloc(SPA_POD_SIZE(&header))))
        abort();
    memcpy(pod, data, SPA_POD_SIZE(&header));
    return pod;
}

static const struct offer *fixating_offer(void)
{
    static struct offer offer;
    static bool built;

    /* The offer that leaves the modifier open, as probe makes it on a machine without a GPU. */
    if (!built && offer_builtin("dmabuf+shm", NULL, &offer) < 0)
        abort();
    built = true;
    return &offer;
}

/* stream.c's on_fixate_timer(): pick from the producer's candidates, announce the choice. */
static void fixate(uint32_t format, const uint64_t *choice, uint32_t n_choice)
{
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM + 1];
    uint64_t chosen;
    char name[160];
    int n;

    if (!offer_pick_modifier(fixating_offer(), format, choice, n_choice, &chosen))
        chosen = choice[0];
    modifier_name(chosen, name, sizeof(name));
    n = offer_build_fixated(fixating_offer(), format, chosen, &b, params, SPA_N_ELEMENTS(params));
    for (int i = 0; i < n; i++)
        json_object_put(pod_to_json(params[i]));
}

/* stream.c's on_format(). */
static void on_format(const struct spa_pod *param)
{
    struct spa_video_info_raw info = {0};
    uint64_t choice[MAX_CHOICE];
    uint32_t n_choice = 0;
    char name[160];

    pod_format_parse(param, &info);
    /* The report names the format and, for a client's step, the Format's modifier. */
    format_name(info.format, name, sizeof(name));
    if (info.flags & SPA_VIDEO_FLAG_MODIFIER)
        modifier_name(info.modifier, name, sizeof(name));
    if (pod_format_modifier_choice(param, choice, MAX_CHOICE, &n_choice) > 0)
        fixate(info.format, choice, n_choice);
}

/* The JSON a pod became reaches the user through the report: registry.c's producer EnumFormats
 * and a param_changed event in a -v timeline, rendered as negotiate renders them. */
static void render(struct json_object *summary, struct json_object *pod)
{
    static FILE *devnull;
    struct json_object *tree = json_object_new_object(), *producer = json_object_new_object();
    struct json_object *formats = json_object_new_array(), *entry = json_object_new_object();
    struct json_object *result = json_object_new_object(), *timeline = json_object_new_array();
    struct json_object *event = json_object_new_object();
    struct pwzc_options opts = {.fd = -1};

    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    json_object_object_add(entry, "summary", json_object_get(summary));
    json_object_object_add(entry, "pod", json_object_get(pod));
    json_object_array_add(formats, entry);
    json_object_object_add(producer, "enum_formats", formats);
    json_object_object_add(tree, "producer", producer);
    json_object_object_add(event, "event", json_object_new_string("param_changed"));
    json_object_object_add(event, "param", json_object_new_string("Format"));
    json_object_object_add(event, "detail", json_object_get(pod));
    json_object_array_add(timeline, event);
    json_object_object_add(result, "timeline", timeline);
    json_object_object_add(tree, "result", result);
    report_print(devnull, "negotiate", tree, &opts);
    opts.json = true;
    report_print(devnull, "negotiate", tree, &opts);
    json_object_put(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct spa_pod *pod = framed_pod(data, size);
    struct json_object *json, *summary;

    if (!pod)
        return 0;
    json = pod_to_json(pod);
    summary = pod_format_summary(pod);
    on_format(pod);
    render(summary, json);
    json_object_put(summary);
    json_object_put(json);
    free(pod);
    return 0;
}
