/* A bounded queue of frame slots between the PipeWire loop and one worker thread: the loop fills
 * a free slot and hands it over; the worker does the slow part (conversion, encoding) on it. The
 * loop never waits for the worker: with every slot taken, the frame is dropped and counted. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct frame_queue;

/* Runs on the worker for each slot handed over, in order. A negative errno stops the work: the
 * slots still queued are let go undone, and frame_queue_error says it from then on. */
typedef int (*frame_queue_work)(void *data, uint32_t slot);

/* Runs on the worker after each slot, once it is free again (capture wakes its loop with it). */
typedef void (*frame_queue_done)(void *data);

/* depth slots, numbered 0 .. depth - 1; the caller owns what each holds. done may be NULL. */
int frame_queue_open(struct frame_queue **q, uint32_t depth, frame_queue_work work,
                     frame_queue_done done, void *data);
/* Waits for the slots handed over to be done, stops the worker, frees q. NULL is fine. */
void frame_queue_close(struct frame_queue *q);

/* The loop's side. A free slot to fill, or -1 when every slot is queued or being worked on (the
 * frame is dropped and counted). At most one slot is acquired at a time. */
int32_t frame_queue_acquire(struct frame_queue *q);
/* Whether acquire would find no slot now (the worker may free one a moment later). */
bool frame_queue_full(struct frame_queue *q);
/* The slot acquire gave, filled: to the worker. */
void frame_queue_submit(struct frame_queue *q);
/* Blocks until every slot handed over is done (before the caller changes what the worker uses:
 * a new frame size, a new encoder). The worker's error, or 0. */
int frame_queue_drain(struct frame_queue *q);
/* The worker's error (a negative errno) or 0, without waiting. */
int frame_queue_error(struct frame_queue *q);
/* Frames dropped because every slot was taken. */
uint64_t frame_queue_dropped(struct frame_queue *q);
uint32_t frame_queue_depth(const struct frame_queue *q);
