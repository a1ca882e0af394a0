/* dma-heap, udmabuf, or memfd: in that order, because only the first two are real DMA-BUFs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>

#include "dmabuf.h"

static int alloc_heap(size_t size)
{
    struct dma_heap_allocation_data data = {.len = size, .fd_flags = O_RDWR | O_CLOEXEC};
    int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC), res;

    if (heap < 0)
        return -errno;
    res = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &data) < 0 ? -errno : (int)data.fd;
    close(heap);
    return res;
}

static int alloc_udmabuf(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), rounded = (size + page - 1) / page * page;
    int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC), mem, res;
    struct udmabuf_create create = {.flags = UDMABUF_FLAGS_CLOEXEC, .size = rounded};

    if (dev < 0)
        return -errno;
    mem = memfd_create("pwzc-udmabuf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    /* udmabuf insists that the memfd can never shrink under it. */
    if (mem < 0 || ftruncate(mem, (off_t)rounded) < 0 ||
        fcntl(mem, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
        res = -errno;
        goto out;
    }
    create.memfd = (uint32_t)mem;
    res = ioctl(dev, UDMABUF_CREATE, &create);
    if (res < 0)
        res = -errno;
out:
    if (mem >= 0)
        close(mem);
    close(dev);
    return res;
}

static int alloc_memfd(size_t size)
{
    /* The name is how a consumer (and pwzc) can tell it is not a real DMA-BUF. */
    int fd = memfd_create("pwzc-emulated-dmabuf", MFD_CLOEXEC | MFD_ALLOW_SEALING);

    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)size) < 0) {
        int res = -errno;
        close(fd);
        return res;
    }
    return fd;
}

int dmabuf_alloc(size_t size, enum dmabuf_source *source)
{
    int fd;

    if ((fd = alloc_heap(size)) >= 0) {
        *source = DMABUF_DMA_HEAP;
        return fd;
    }
    if ((fd = alloc_udmabuf(size)) >= 0) {
        *source = DMABUF_UDMABUF;
        return fd;
    }
    *source = DMABUF_EMULATED;
    return alloc_memfd(size);
}

enum dmabuf_source dmabuf_best_source(void)
{
    enum dmabuf_source source = DMABUF_EMULATED;
    int fd = dmabuf_alloc(4096, &source);

    if (fd >= 0)
        close(fd);
    return source;
}

const char *dmabuf_source_name(enum dmabuf_source source)
{
    switch (source) {
    case DMABUF_DMA_HEAP:
        return "dma-heap";
    case DMABUF_UDMABUF:
        return "udmabuf";
    case DMABUF_EMULATED:
        return "emulated-memfd";
    }
    return "unknown";
}

int dmabuf_sync(int fd, bool start, bool write)
{
    struct dma_buf_sync sync = {
        .flags = (start ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END) |
                 (write ? DMA_BUF_SYNC_WRITE : DMA_BUF_SYNC_READ),
    };

    if (ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync) == 0)
        return 0;
    /* ENOTTY: not a DMA-BUF (the emulated case), where plain memory needs no sync. */
    return errno == ENOTTY ? 0 : -errno;
}
