/* Proves the frame queue between the loop and the worker: slots are worked on in the order they
 * were handed over, each followed by the done call that wakes the loop; with every slot taken the
 * loop gets none at once (never waits) and the drop is counted; drain waits for the work; and after
 * the worker fails the rest are let go undone and the error is said. The worker is held at a gate,
 * so that "full" is certain, not timed. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "frame-queue.h"

#define MAX_WORK 64

struct worker_state {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool gate_open;
    uint32_t done[MAX_WORK], n_done, n_entered;
    uint32_t fail_at; /* the n-th piece of work (from 1) fails; 0: none */
    uint32_t n_woken; /* done callbacks */
};

static int work(void *data, uint32_t slot)
{
    struct worker_state *w = data;
    int res = 0;

    pthread_mutex_lock(&w->lock);
    w->n_entered++;
    pthread_cond_broadcast(&w->changed);
    while (!w->gate_open)
        pthread_cond_wait(&w->changed, &w->lock);
    if (w->n_done < MAX_WORK)
        w->done[w->n_done] = slot;
    if (++w->n_done == w->fail_at)
        res = -ENOSPC;
    pthread_mutex_unlock(&w->lock);
    return res;
}

static void woken(void *data)
{
    struct worker_state *w = data;

    pthread_mutex_lock(&w->lock);
    w->n_woken++;
    pthread_mutex_unlock(&w->lock);
}

static void set_gate(struct worker_state *w, bool open)
{
    pthread_mutex_lock(&w->lock);
    w->gate_open = open;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
}

/* Until the worker has begun on n pieces of work (and waits at the gate on the last). */
static void wait_entered(struct worker_state *w, uint32_t n)
{
    pthread_mutex_lock(&w->lock);
    while (w->n_entered < n)
        pthread_cond_wait(&w->changed, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

static void init_state(struct worker_state *w, bool gate_open, uint32_t fail_at)
{
    *w = (struct worker_state){.gate_open = gate_open, .fail_at = fail_at};
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->changed, NULL);
}

static void hand_over(struct frame_queue *q, int32_t expected_slot)
{
    assert_int_equal(frame_queue_acquire(q), expected_slot);
    frame_queue_submit(q);
}

static void test_in_order(void **state)
{
    struct worker_state w;
    struct frame_queue *q;

    init_state(&w, true, 0);
    assert_int_equal(frame_queue_open(&q, 3, work, woken, &w), 0);
    for (int i = 0; i < 10; i++) {
        int32_t slot = frame_queue_acquire(q);
        if (slot < 0) {
            frame_queue_drain(q); /* the worker is behind: it must catch up, then a slot frees */
            slot = frame_queue_acquire(q);
        }
        assert_int_equal(slot, i % 3);
        frame_queue_submit(q);
    }
    assert_int_equal(frame_queue_drain(q), 0);
    assert_int_equal(w.n_done, 10);
    for (uint32_t i = 0; i < 10; i++)
        assert_int_equal(w.done[i], i % 3);
    frame_queue_close(q);
    assert_int_equal(w.n_woken, 10); /* once a slot, after it is free */
}

static void test_full_drops_without_waiting(void **state)
{
    struct worker_state w;
    struct frame_queue *q;

    init_state(&w, false, 0);
    assert_int_equal(frame_queue_open(&q, 2, work, NULL, &w), 0);
    hand_over(q, 0);
    hand_over(q, 1);
    wait_entered(&w, 1);
    /* Both slots taken, the worker held: the loop gets none, at once, each time. */
    assert_true(frame_queue_full(q));
    assert_int_equal(frame_queue_acquire(q), -1);
    assert_int_equal(frame_queue_acquire(q), -1);
    assert_int_equal(frame_queue_dropped(q), 2);
    set_gate(&w, true);
    assert_int_equal(frame_queue_drain(q), 0);
    assert_int_equal(w.n_done, 2);
    assert_false(frame_queue_full(q));
    hand_over(q, 0); /* the third frame handed over goes into slot 2 % 2 */
    assert_int_equal(frame_queue_drain(q), 0);
    assert_int_equal(frame_queue_dropped(q), 2);
    assert_int_equal(frame_queue_depth(q), 2);
    frame_queue_close(q);
}

static void test_failure_lets_the_rest_go(void **state)
{
    struct worker_state w;
    struct frame_queue *q;

    init_state(&w, false, 1);
    assert_int_equal(frame_queue_open(&q, 3, work, NULL, &w), 0);
    hand_over(q, 0);
    hand_over(q, 1);
    hand_over(q, 2);
    assert_int_equal(frame_queue_error(q), 0);
    set_gate(&w, true);
    assert_int_equal(frame_queue_drain(q), -ENOSPC);
    assert_int_equal(frame_queue_error(q), -ENOSPC);
    assert_int_equal(w.n_done, 1); /* the two after the failure were not worked on */
    frame_queue_close(q);
}

/* Close waits for what was handed over: the last frames of a capture are encoded, not lost. */
static void test_close_finishes_the_work(void **state)
{
    struct worker_state w;
    struct frame_queue *q;

    init_state(&w, true, 0);
    assert_int_equal(frame_queue_open(&q, 3, work, NULL, &w), 0);
    hand_over(q, 0);
    hand_over(q, 1);
    frame_queue_close(q);
    assert_int_equal(w.n_done, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_full_drops_without_waiting),
        cmocka_unit_test(test_failure_lets_the_rest_go),
        cmocka_unit_test(test_close_finishes_the_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
