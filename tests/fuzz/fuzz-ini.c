/* Fuzzes the profile files pwzc reads (emulator profiles, client profiles): the input is a file's
 * text as ini_read_file() hands it over (no NUL inside), parsed as both kinds. What parses is
 * used as the commands use it: shown as JSON, and a client's offer built into pods and shown. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "offers.h"
#include "pod.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The daemon the test suite runs against, as client_version() packs it. */
#define DAEMON_0_3_65 ((0u << 16) | (3u << 8) | 65u)

static void show(struct json_object *obj)
{
    json_object_to_json_string(obj);
    json_object_put(obj);
}

static void show_pods(const struct spa_pod **params, int n)
{
    for (int i = 0; i < n; i++)
        show(pod_to_json(params[i]));
}

/* client-run.c's first step: the offer from the profile, on a machine without a GPU. */
static void build_offer(const struct client_profile *c)
{
    static struct offer offer;
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM];
    bool standin;

    client_offer(c, NULL, DAEMON_0_3_65, NULL, &offer, &standin);
    show_pods(params, offer_build_enum_formats(&offer, &b, params, OFFER_MAX_ENUM));
    b = (struct spa_pod_builder)SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    show_pods(params, offer_build_buffer_params(&offer, true, &b, params, OFFER_MAX_ENUM));
    b = (struct spa_pod_builder)SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    show_pods(params, offer_build_buffer_params(&offer, false, &b, params, OFFER_MAX_ENUM));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct profile profile;
    static struct client_profile client;
    char *text = strndup((const char *)data, size);
    struct pwzc_error profile_err = {0}, client_err = {0};

    if (!text)
        abort();
    if (profile_parse(text, "fuzz/input.profile", &profile, &profile_err) == 0)
        show(profile_to_json(&profile));
    if (client_parse(text, "fuzz/input.client", &client, &client_err) == 0) {
        show(client_profile_json(&client));
        build_offer(&client);
    }
    free(text);
    return 0;
}
