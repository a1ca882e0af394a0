/* Colour property names as profiles write them, for producers and clients alike. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <spa/utils/defs.h>

#include "colour.h"

struct colour_name {
    const char *name;
    uint32_t id;
};

static const struct colour_name primaries[] = {{"bt709", SPA_VIDEO_COLOR_PRIMARIES_BT709},
                                               {"bt2020", PWZC_PRIMARIES_BT2020}},
                                transfers[] = {{"gamma22", SPA_VIDEO_TRANSFER_GAMMA22},
                                               {"srgb", SPA_VIDEO_TRANSFER_SRGB},
                                               {"bt709", SPA_VIDEO_TRANSFER_BT709},
                                               {"pq", PWZC_TRANSFER_PQ}},
                                matrices[] = {{"bt601", SPA_VIDEO_COLOR_MATRIX_BT601},
                                              {"bt709", SPA_VIDEO_COLOR_MATRIX_BT709}},
                                ranges[] = {{"16-235", SPA_VIDEO_COLOR_RANGE_16_235},
                                            {"0-255", SPA_VIDEO_COLOR_RANGE_0_255}};

static const struct {
    const char *key;
    const struct colour_name *names;
    size_t n;
} tables[] = {
    [COLOUR_PRIMARIES] = {"color-primaries", primaries, SPA_N_ELEMENTS(primaries)},
    [COLOUR_TRANSFER] = {"transfer-function", transfers, SPA_N_ELEMENTS(transfers)},
    [COLOUR_MATRIX] = {"color-matrix", matrices, SPA_N_ELEMENTS(matrices)},
    [COLOUR_RANGE] = {"color-range", ranges, SPA_N_ELEMENTS(ranges)},
};

int colour_parse(enum colour_kind kind, const char *v, uint32_t *id, struct pwzc_error *err)
{
    const struct colour_name *names = tables[kind].names;
    size_t n = tables[kind].n, used = 0;
    char known[256] = "";

    for (size_t i = 0; i < n; i++)
        if (strcmp(v, names[i].name) == 0) {
            *id = names[i].id;
            return 0;
        }
    for (size_t i = 0; i < n && used < sizeof(known); i++)
        used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "",
                                 names[i].name);
    return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s '%s' is not one of %s", tables[kind].key,
                     v, known);
}
