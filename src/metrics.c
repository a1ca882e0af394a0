/* Nearest-rank percentiles over every sample: a minute at 60 fps is 3600 values, cheap to sort. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "metrics.h"

void samples_add(struct samples *s, uint64_t value)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *values = realloc(s->values, cap * sizeof(*values));
        if (!values)
            return; /* a lost sample is better than a lost capture */
        s->values = values;
        s->cap = cap;
    }
    s->values[s->n++] = value;
}

void samples_clear(struct samples *s)
{
    free(s->values);
    memset(s, 0, sizeof(*s));
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

uint64_t samples_percentile(const struct samples *s, double p)
{
    uint64_t *sorted, v;
    size_t rank;

    if (s->n == 0 || !(sorted = malloc(s->n * sizeof(*sorted))))
        return 0;
    memcpy(sorted, s->values, s->n * sizeof(*sorted));
    qsort(sorted, s->n, sizeof(*sorted), compare);
    rank = (size_t)(p / 100.0 * (double)s->n + 0.999999);
    rank = rank == 0 ? 1 : rank > s->n ? s->n : rank;
    v = sorted[rank - 1];
    free(sorted);
    return v;
}

uint64_t samples_max(const struct samples *s)
{
    uint64_t m = 0;

    for (size_t i = 0; i < s->n; i++)
        if (s->values[i] > m)
            m = s->values[i];
    return m;
}

double samples_mean(const struct samples *s)
{
    double sum = 0;

    for (size_t i = 0; i < s->n; i++)
        sum += (double)s->values[i];
    return s->n ? sum / (double)s->n : 0;
}

struct json_object *samples_json(const struct samples *s)
{
    struct json_object *obj;

    if (s->n == 0)
        return NULL;
    obj = json_object_new_object();
    json_object_object_add(obj, "count", json_object_new_int64((int64_t)s->n));
    json_object_object_add(obj, "mean_ms", json_object_new_double(samples_mean(s) / 1e6));
    json_object_object_add(obj, "p50_ms",
                           json_object_new_double((double)samples_percentile(s, 50) / 1e6));
    json_object_object_add(obj, "p95_ms",
                           json_object_new_double((double)samples_percentile(s, 95) / 1e6));
    json_object_object_add(obj, "p99_ms",
                           json_object_new_double((double)samples_percentile(s, 99) / 1e6));
    json_object_object_add(obj, "max_ms", json_object_new_double((double)samples_max(s) / 1e6));
    return obj;
}

uint64_t metrics_cpu_ns(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
           ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}
