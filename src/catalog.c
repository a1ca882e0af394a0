/* The lists behind --list-offers, --list-profiles and --list-clients. */
#include "config.h"

#include <stdlib.h>

#include "catalog.h"
#include "client.h"
#include "offers.h"
#include "profile.h"
#include "report.h"

static struct json_object *item(const char *name, const char *description, const char *problem)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "name", json_object_new_string(name));
    json_object_object_add(obj, "description", json_object_new_string(description));
    json_object_object_add(obj, "problem", problem ? json_object_new_string(problem) : NULL);
    return obj;
}

static void add_offers(struct json_object *items)
{
    for (uint32_t i = 0; i < offer_builtin_count_all(); i++)
        json_object_array_add(items,
                              item(offer_builtin_name(i), offer_builtin_description(i), NULL));
}

/* Profiles are read in full for their description: a list is also a check of every file. */
static void add_profiles(struct json_object *items)
{
    struct json_object *names = profile_names();
    struct profile *p = calloc(1, sizeof(*p));

    for (size_t i = 0; p && i < json_object_array_length(names); i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(names, i));
        struct pwzc_error broken = {0}; /* a list names a broken file; it does not fail on it */
        bool ok = profile_load(name, p, &broken) == 0;
        json_object_array_add(items,
                              item(name, ok ? p->description : "", ok ? NULL : broken.message));
    }
    free(p);
    json_object_put(names);
}

static void add_clients(struct json_object *items)
{
    struct json_object *names = client_names();
    struct client_profile *c = calloc(1, sizeof(*c));

    for (size_t i = 0; c && i < json_object_array_length(names); i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(names, i));
        struct pwzc_error broken = {0};
        bool ok = client_load(name, c, &broken) == 0;
        json_object_array_add(items,
                              item(name, ok ? c->description : "", ok ? NULL : broken.message));
    }
    free(c);
    json_object_put(names);
}

struct json_object *catalog_gather(enum catalog_kind kind)
{
    static const char *const lists[] = {"offers", "profiles", "clients"};
    struct json_object *tree = json_object_new_object(), *items = json_object_new_array();

    if (kind == CATALOG_OFFERS)
        add_offers(items);
    else if (kind == CATALOG_PROFILES)
        add_profiles(items);
    else
        add_clients(items);
    json_object_object_add(tree, "list", json_object_new_string(lists[kind]));
    json_object_object_add(tree, "items", items);
    return tree;
}

int catalog_print(enum catalog_kind kind, const struct pwzc_options *opts)
{
    struct json_object *tree = catalog_gather(kind);

    report_print(stdout, "catalog", tree, opts);
    json_object_put(tree);
    return PWZC_EXIT_OK;
}
