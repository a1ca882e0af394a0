/* DMA-BUFs for the emulator: real ones where the kernel offers a way, memfd where it does not. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum dmabuf_source {
    DMABUF_DMA_HEAP, /* /dev/dma_heap/system */
    DMABUF_UDMABUF,  /* /dev/udmabuf over a sealed memfd */
    DMABUF_EMULATED, /* a plain memfd: announced as DmaBuf, and reported as emulated */
};

/* Allocates `size` bytes; returns an fd or a negative errno. */
int dmabuf_alloc(size_t size, enum dmabuf_source *source);
/* What this machine can do, tried once: the emulator reports it at start. */
enum dmabuf_source dmabuf_best_source(void);
const char *dmabuf_source_name(enum dmabuf_source source);

/* DMA_BUF_IOCTL_SYNC around CPU access; a no-op (and 0) on a memfd. */
int dmabuf_sync(int fd, bool start, bool write);
