/* A small pool: each thread takes the next item until none is left. */
#include "config.h"

#include <errno.h>
#include <pthread.h>

#include "jobs.h"

struct pool {
    pthread_mutex_t lock;
    uint32_t next, done, n;
    void (*run)(void *data, uint32_t i);
    void (*after_each)(void *data, uint32_t done, uint32_t n);
    void *data;
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    uint32_t i;

    for (;;) {
        pthread_mutex_lock(&p->lock);
        i = p->next < p->n ? p->next++ : UINT32_MAX;
        pthread_mutex_unlock(&p->lock);
        if (i == UINT32_MAX)
            return NULL;
        p->run(p->data, i);
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->after_each)
            p->after_each(p->data, p->done, p->n);
        pthread_mutex_unlock(&p->lock);
    }
}

int jobs_run(uint32_t n, uint32_t n_threads, void (*run)(void *data, uint32_t i),
             void (*after_each)(void *data, uint32_t done, uint32_t n), void *data)
{
    struct pool p = {.n = n, .run = run, .after_each = after_each, .data = data};
    pthread_t threads[JOBS_MAX];
    uint32_t started = 0;
    int res = 0;

    if (n_threads > JOBS_MAX)
        n_threads = JOBS_MAX;
    if (n_threads > n)
        n_threads = n;
    pthread_mutex_init(&p.lock, NULL);
    if (n_threads <= 1) {
        worker(&p);
        goto out;
    }
    /* Threads inherit this one's signal mask: SIGINT and SIGTERM stay blocked in them as here,
     * read through the signalfd of each connection's loop. */
    for (; started < n_threads; started++)
        if ((res = -pthread_create(&threads[started], NULL, worker, &p)) < 0)
            break;
    /* Fewer threads than asked still run every item; none at all is an error. */
    if (started > 0)
        res = 0;
    for (uint32_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
out:
    pthread_mutex_destroy(&p.lock);
    return res;
}
