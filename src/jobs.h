/* Independent items run on a few threads at once: probe's offers and clients, each against a
 * producer of its own. */
#pragma once
#include <stdint.h>

/* The most threads a run may ask for (--jobs). */
#define JOBS_MAX 16

/* Calls run(data, i) once for each i in [0, n), on up to n_threads threads (1: on this one, in
 * order), and returns when every call has returned; after_each(data, done, n) is called under
 * a lock as each one ends (progress; may be NULL). 0, or a negative errno when no thread could
 * be started (then nothing ran). */
int jobs_run(uint32_t n, uint32_t n_threads, void (*run)(void *data, uint32_t i),
             void (*after_each)(void *data, uint32_t done, uint32_t n), void *data);
