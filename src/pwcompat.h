/* Names PipeWire 1.2 added for explicit sync, for a build against older headers: a 0.3 build
 * still talks to a newer daemon, and pods are wire data. The values are 1.2's ABI. */
#pragma once

#include <pipewire/version.h>
#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>
#include <spa/param/buffers.h>

#if PW_CHECK_VERSION(1, 2, 0)
#define PWZC_META_SyncTimeline  SPA_META_SyncTimeline
#define PWZC_BUFFERS_metaType   SPA_PARAM_BUFFERS_metaType
#define PWZC_DATA_SyncObj       SPA_DATA_SyncObj
#define PWZC_SYNC_TIMELINE_SIZE sizeof(struct spa_meta_sync_timeline)
#else
#define PWZC_META_SyncTimeline  9u  /* after SPA_META_VideoTransform */
#define PWZC_BUFFERS_metaType   7u  /* after SPA_PARAM_BUFFERS_dataType */
#define PWZC_DATA_SyncObj       5u  /* after SPA_DATA_DmaBuf */
#define PWZC_SYNC_TIMELINE_SIZE 24u /* flags, padding, acquire_point, release_point */
#endif

/* The daemon version from which a producer may ask for SyncTimeline at all. */
#define PWZC_SYNC_TIMELINE_SINCE "1.2.0"

/* PW_STREAM_FLAG_ASYNC (0.3.84): buffers not handled in the realtime process call. A client
 * profile may name it (pipewiresrc 1.x); an older libpipewire has no such flag, and the replay
 * leaves it out there, as such a client built against that library would. */
#if PW_CHECK_VERSION(0, 3, 84)
#define PWZC_STREAM_FLAG_ASYNC PW_STREAM_FLAG_ASYNC
#else
#define PWZC_STREAM_FLAG_ASYNC (1u << 10)
#endif
#define PWZC_STREAM_FLAG_ASYNC_SINCE "0.3.84"

/* From which daemon a link the producer refuses is a fatal error for the producer as well: seen
 * on 1.4.2 and 1.6.9 (xdg-desktop-portal-wlr 0.7 and 0.8 exit on it); 0.3.65 leaves the producer
 * alone and only the link shows the error. A safety policy for probe, never a verdict. */
#define PWZC_REFUSED_LINK_HURTS_PRODUCER_SINCE "1.0.0"
