/* Samples and their percentiles: frame intervals, per-stage times, latencies. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct samples {
    uint64_t *values; /* ns */
    size_t n, cap;
};

void samples_add(struct samples *s, uint64_t value);
void samples_clear(struct samples *s);
/* p in [0, 100]; nearest-rank on a sorted copy. 0 when empty. */
uint64_t samples_percentile(const struct samples *s, double p);
uint64_t samples_max(const struct samples *s);
double samples_mean(const struct samples *s);
/* {"p50_ms":..,"p95_ms":..,"p99_ms":..,"max_ms":..,"mean_ms":..,"count":..}; null when empty. */
struct json_object *samples_json(const struct samples *s);

/* CPU time this process has used (user + system), in ns, from getrusage. */
uint64_t metrics_cpu_ns(void);
