/* Text rendering of the list trees: `pwzc list` as one line per node, and the --list-* name
 * lists as one "NAME  DESCRIPTION" line per item. */
#include "config.h"

#include <string.h>

#include <spa/utils/defs.h>

#include "report.h"

#define BOLD  "\033[1m"
#define RESET "\033[0m"

#define get     report_get
#define get_str report_get_str

void report_join(struct json_object *arr, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s", i ? "," : "",
                                 json_object_get_string(json_object_array_get_idx(arr, i)));
    if (!buf[0])
        snprintf(buf, size, "-");
}

#define ROW "%-5s %-7s %-28s %-20s %-16s %-10s %s"

static void print_node(FILE *f, struct json_object *node)
{
    char formats[128], buffers[64];
    bool dmabuf_and_shm =
        json_object_get_boolean(get(node, "modifier")) && json_object_get_boolean(get(node, "shm"));

    report_join(get(node, "formats"), formats, sizeof(formats));
    snprintf(buffers, sizeof(buffers), "%s%s", get_str(node, "buffers", "?"),
             dmabuf_and_shm ? " (or SHM)" : "");
    fprintf(f, ROW "%s\n", get_str(node, "id", "?"), get_str(node, "serial", "?"),
            get_str(node, "name", ""), get_str(node, "media_class", ""), formats,
            get_str(node, "size", "-"), buffers,
            json_object_get_boolean(get(node, "session_node")) ? "  (this session's)" : "");
}

void report_print_list(FILE *f, struct json_object *tree, const struct pwzc_options *opts)
{
    struct json_object *nodes = get(tree, "nodes");
    size_t n = nodes ? json_object_array_length(nodes) : 0;

    if (n == 0) {
        fprintf(f, "no screencast node (Video/Source, Stream/Output/Video) on PipeWire %s\n",
                get_str(tree, "daemon", "?"));
        return;
    }
    /* The header only for a person: piped, each line is a node. */
    if (opts->terminal)
        fprintf(f, "%s" ROW "%s\n", opts->color ? BOLD : "", "ID", "SERIAL", "NAME", "MEDIA.CLASS",
                "FORMATS", "SIZE", "BUFFERS", opts->color ? RESET : "");
    for (size_t i = 0; i < n; i++)
        print_node(f, json_object_array_get_idx(nodes, i));
}

void report_print_catalog(FILE *f, struct json_object *tree, const struct pwzc_options *opts)
{
    struct json_object *items = get(tree, "items");
    size_t n = items ? json_object_array_length(items) : 0, width = 0;

    for (size_t i = 0; i < n; i++)
        width = SPA_MAX(width, strlen(get_str(json_object_array_get_idx(items, i), "name", "")));
    for (size_t i = 0; i < n; i++) {
        struct json_object *item = json_object_array_get_idx(items, i);
        const char *problem = get_str(item, "problem", NULL);
        fprintf(f, "%s%-*s%s  %s%s\n", opts->color ? BOLD : "", (int)width,
                get_str(item, "name", "?"), opts->color ? RESET : "",
                problem ? "cannot be read: " : get_str(item, "description", ""),
                problem ? problem : "");
    }
}
