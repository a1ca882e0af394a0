/* Slots go round in order: slot n % depth holds the n-th frame handed over, so three counters
 * (handed over, started, done) are the whole state. One mutex guards them; the loop holds it only
 * to read or bump a counter, never while the worker works. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "frame-queue.h"

struct frame_queue {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work_ready, work_done;
    frame_queue_work work;
    frame_queue_done done;
    void *data;
    uint32_t depth;
    uint64_t submitted, started, finished, dropped;
    int error;
    bool closing;
};

static void *worker(void *arg)
{
    struct frame_queue *q = arg;

    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->started == q->submitted && !q->closing)
            pthread_cond_wait(&q->work_ready, &q->lock);
        if (q->started == q->submitted)
            break;
        uint32_t slot = (uint32_t)(q->started++ % q->depth);
        bool skip = q->error < 0;
        pthread_mutex_unlock(&q->lock);
        int res = skip ? 0 : q->work(q->data, slot);
        pthread_mutex_lock(&q->lock);
        if (res < 0 && q->error == 0)
            q->error = res;
        q->finished++;
        pthread_cond_broadcast(&q->work_done);
        if (q->done) {
            pthread_mutex_unlock(&q->lock);
            q->done(q->data);
            pthread_mutex_lock(&q->lock);
        }
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* The worker takes no signal: SIGINT and SIGTERM are the loop's (a signalfd in PipeWire 0.3 sees
 * only a signal that every thread blocks), and the thread starts with the mask it is made with. */
static int start_worker(struct frame_queue *q)
{
    sigset_t all, old;
    int res;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    res = pthread_create(&q->thread, NULL, worker, q);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return -res;
}

int frame_queue_open(struct frame_queue **qp, uint32_t depth, frame_queue_work work,
                     frame_queue_done done, void *data)
{
    struct frame_queue *q = calloc(1, sizeof(*q));
    int res;

    if (!q)
        return -ENOMEM;
    q->depth = depth ? depth : 1;
    q->work = work;
    q->done = done;
    q->data = data;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->work_ready, NULL);
    pthread_cond_init(&q->work_done, NULL);
    if ((res = start_worker(q)) < 0) {
        pthread_cond_destroy(&q->work_done);
        pthread_cond_destroy(&q->work_ready);
        pthread_mutex_destroy(&q->lock);
        free(q);
        return res;
    }
    *qp = q;
    return 0;
}

void frame_queue_close(struct frame_queue *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->closing = true;
    pthread_cond_signal(&q->work_ready);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    pthread_cond_destroy(&q->work_done);
    pthread_cond_destroy(&q->work_ready);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

int32_t frame_queue_acquire(struct frame_queue *q)
{
    int32_t slot = -1;

    pthread_mutex_lock(&q->lock);
    if (q->submitted - q->finished < q->depth)
        slot = (int32_t)(q->submitted % q->depth);
    else
        q->dropped++;
    pthread_mutex_unlock(&q->lock);
    return slot;
}

bool frame_queue_full(struct frame_queue *q)
{
    bool full;

    pthread_mutex_lock(&q->lock);
    full = q->submitted - q->finished >= q->depth;
    pthread_mutex_unlock(&q->lock);
    return full;
}

void frame_queue_submit(struct frame_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->submitted++;
    pthread_cond_signal(&q->work_ready);
    pthread_mutex_unlock(&q->lock);
}

int frame_queue_drain(struct frame_queue *q)
{
    int res;

    pthread_mutex_lock(&q->lock);
    while (q->finished != q->submitted)
        pthread_cond_wait(&q->work_done, &q->lock);
    res = q->error;
    pthread_mutex_unlock(&q->lock);
    return res;
}

int frame_queue_error(struct frame_queue *q)
{
    int res;

    pthread_mutex_lock(&q->lock);
    res = q->error;
    pthread_mutex_unlock(&q->lock);
    return res;
}

uint64_t frame_queue_dropped(struct frame_queue *q)
{
    uint64_t n;

    pthread_mutex_lock(&q->lock);
    n = q->dropped;
    pthread_mutex_unlock(&q->lock);
    return n;
}

uint32_t frame_queue_depth(const struct frame_queue *q)
{
    return q->depth;
}
