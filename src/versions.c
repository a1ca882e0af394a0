/* PipeWire's screencast-relevant changes by version (see versions.h). */
#include "config.h"

#include <stdio.h>

#include "versions.h"

#define V(a, b, c) (((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)(c))

static const struct feature {
    const char *name, *since_text, *what;
    uint32_t since;
} features[] = {
    {"modifiers", "0.3.33", "DMA-BUF modifiers in EnumFormat (clients offer them from then on)",
     V(0, 3, 33)},
    {"per-modifier-fallback", "0.3.40",
     "a client can drop the one modifier that failed to import (before: all but the last)",
     V(0, 3, 40)},
    {"sync-timeline", "1.2.0", "SPA_META_SyncTimeline: explicit sync of DMA-BUFs", V(1, 2, 0)},
};

uint32_t version_parse(const char *text)
{
    unsigned a = 0, b = 0, c = 0;

    if (!text || sscanf(text, "%u.%u.%u", &a, &b, &c) < 2)
        return 0;
    return V(a, b, c);
}

struct json_object *versions_features_json(const char *library, const char *daemon)
{
    struct json_object *arr = json_object_new_array();
    uint32_t lib = version_parse(library), dmn = version_parse(daemon);

    for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
        struct json_object *f = json_object_new_object();
        json_object_object_add(f, "name", json_object_new_string(features[i].name));
        json_object_object_add(f, "since", json_object_new_string(features[i].since_text));
        json_object_object_add(f, "what", json_object_new_string(features[i].what));
        json_object_object_add(f, "library", json_object_new_boolean(lib >= features[i].since));
        json_object_object_add(f, "daemon",
                               dmn ? json_object_new_boolean(dmn >= features[i].since) : NULL);
        json_object_array_add(arr, f);
    }
    return arr;
}
