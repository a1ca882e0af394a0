/* Number parsing, the clock and the data directory: what every module needs. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

uint64_t pwzc_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int pwzc_parse_u32(const char *text, uint32_t *value)
{
    char *end;
    unsigned long v;

    if (!text || !*text || *text == '-')
        return -EINVAL;
    errno = 0;
    v = strtoul(text, &end, 0);
    if (errno || *end || v > UINT32_MAX)
        return -EINVAL;
    *value = (uint32_t)v;
    return 0;
}

int pwzc_parse_ms(const char *text, uint32_t *ms)
{
    char *end;
    double s;

    if (!text || !*text)
        return -EINVAL;
    errno = 0;
    s = strtod(text, &end);
    if (*end || isnan(s))
        return -EINVAL;
    /* Written so that what is left out of the range fails too: converting it to an integer
     * would be undefined. */
    if (errno == ERANGE || !(s >= 0 && s <= PWZC_SECONDS_MAX))
        return -ERANGE;
    *ms = (uint32_t)(s * 1000.0 + 0.5);
    return 0;
}

int pwzc_parse_size(const char *text, uint32_t *width, uint32_t *height)
{
    unsigned long w, h;
    char *x, *end;

    /* strtoul would take a sign or spaces; a size is digits, 'x', digits. */
    if (!text || !isdigit((unsigned char)text[0]))
        return -EINVAL;
    errno = 0;
    w = strtoul(text, &x, 10);
    if (*x != 'x' || !isdigit((unsigned char)x[1]))
        return -EINVAL;
    h = strtoul(x + 1, &end, 10);
    if (*end)
        return -EINVAL;
    if (errno == ERANGE || w == 0 || h == 0 || w > PWZC_SIZE_MAX || h > PWZC_SIZE_MAX)
        return -ERANGE;
    *width = (uint32_t)w;
    *height = (uint32_t)h;
    return 0;
}

int pwzc_bad_value(struct pwzc_error *err, const char *what, const char *value, int res,
                   const char *expected, const char *range)
{
    if (res == -ERANGE && range)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "%s '%s' is out of range (%s)", what, value,
                         range);
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "%s '%s' is not %s", what, value, expected);
}

int pwzc_parse_u32_range_option(const char *what, const char *value, uint32_t min, uint32_t max,
                                const char *expected, uint32_t *out, struct pwzc_error *err)
{
    char range[48];
    int res = pwzc_parse_u32(value, out);

    if (res == 0 && *out >= min && *out <= max)
        return 0;
    snprintf(range, sizeof(range), "%" PRIu32 " to %" PRIu32, min, max);
    return pwzc_bad_value(err, what, value, res < 0 ? res : -ERANGE, expected, range);
}

int pwzc_parse_u32_option(const char *what, const char *value, uint32_t max, const char *expected,
                          uint32_t *out, struct pwzc_error *err)
{
    return pwzc_parse_u32_range_option(what, value, 0, max, expected, out, err);
}

static bool dir_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Found once for the process: threads (probe --jobs) ask too. */
static struct {
    pthread_once_t once;
    char datadir[PATH_MAX + 16];
    char self[PATH_MAX];
} where = {.once = PTHREAD_ONCE_INIT};

/* Run from the build tree, the data beside the binary is newer than an installed copy. */
static void find_datadir(const char *self, char *found, size_t size)
{
    char exe[PATH_MAX];
    char *slash;

    snprintf(exe, sizeof(exe), "%s", self);
    if ((slash = strrchr(exe, '/'))) {
        *slash = '\0';
        snprintf(found, size, "%s/data", exe);
        if (dir_exists(found))
            return;
        snprintf(found, size, "%s", PWZC_SRCDIR "/data");
        if (strncmp(exe, PWZC_BUILDDIR, strlen(PWZC_BUILDDIR)) == 0 && dir_exists(found))
            return;
    }
    snprintf(found, size, "%s", PWZC_PKGDATADIR);
}

static void find_where(void)
{
    /* Not "/proc/self/exe" itself: under valgrind that names valgrind; readlink names us. */
    ssize_t n = readlink("/proc/self/exe", where.self, sizeof(where.self) - 1);

    where.self[n > 0 ? n : 0] = '\0';
    find_datadir(where.self, where.datadir, sizeof(where.datadir));
}

const char *pwzc_datadir(void)
{
    const char *env = getenv("PWZC_DATADIR");

    if (env && *env)
        return env;
    pthread_once(&where.once, find_where);
    return where.datadir;
}

const char *pwzc_self_path(void)
{
    pthread_once(&where.once, find_where);
    return where.self[0] ? where.self : "pwzc";
}

void pwzc_id_set_add(uint32_t *set, uint32_t *n, uint32_t max, uint32_t v)
{
    for (uint32_t i = 0; i < *n; i++)
        if (set[i] == v)
            return;
    if (*n < max)
        set[(*n)++] = v;
}
