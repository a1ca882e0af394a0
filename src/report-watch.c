/* Text rendering of pwzc watch's tree: one row per running screencast link, then why. */
#include "config.h"

#include <string.h>

#include "report.h"

#define BOLD  "\033[1m"
#define RESET "\033[0m"

#define get     report_get
#define get_str report_get_str

#define ROW "%-6s %-26s %-26s %-11s %-8s %-14s %-8s %6s  %s"

/* "41 pwzc-emulate": a node as a person finds it in pw-top. */
static void end_text(struct json_object *end, char *buf, size_t size)
{
    const char *app = get_str(end, "application", NULL);

    snprintf(buf, size, "%s %s", get_str(end, "node_id", "?"),
             app ? app : get_str(end, "name", ""));
}

static void format_text(struct json_object *summary, char *buf, size_t size)
{
    if (!summary)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%s %s", get_str(summary, "format", "?"), get_str(summary, "size", ""));
}

static void print_link(FILE *f, struct json_object *link)
{
    char producer[64], consumer[64], format[64], shared[48], fps[16];
    struct json_object *rate = get(link, "frames_per_s");

    end_text(get(link, "producer"), producer, sizeof(producer));
    end_text(get(link, "consumer"), consumer, sizeof(consumer));
    format_text(get(link, "format"), format, sizeof(format));
    report_join(get(link, "shared_data_types"), shared, sizeof(shared));
    snprintf(fps, sizeof(fps), rate ? "%.1f" : "-", rate ? json_object_get_double(rate) : 0.0);
    fprintf(f, ROW "\n", get_str(link, "link_id", "?"), producer, consumer,
            get_str(link, "verdict", "unknown"), get_str(link, "state", "?"), format, shared, fps,
            get_str(link, "format_changes", "0"));
}

void report_print_watch(FILE *f, struct json_object *tree, const struct pwzc_options *opts)
{
    struct json_object *links = get(tree, "links");
    size_t n = links ? json_object_array_length(links) : 0;

    if (n == 0) {
        fprintf(f, "no screencast link (a video node linked to another) on PipeWire %s\n",
                get_str(tree, "daemon", "?"));
        return;
    }
    if (opts->terminal)
        fprintf(f, "%s" ROW "%s\n", opts->color ? BOLD : "", "LINK", "PRODUCER", "CONSUMER",
                "VERDICT", "STATE", "FORMAT", "SHARED", "FPS", "FORMAT-CHANGES",
                opts->color ? RESET : "");
    for (size_t i = 0; i < n; i++)
        print_link(f, json_object_array_get_idx(links, i));
    fprintf(f, "\n");
    for (size_t i = 0; i < n; i++) {
        struct json_object *link = json_object_array_get_idx(links, i);
        fprintf(f, "link %s: %s\n", get_str(link, "link_id", "?"), get_str(link, "reason", ""));
    }
}
