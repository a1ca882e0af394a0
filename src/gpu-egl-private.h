/* What the EGL side shares with the zero-copy import: one DMA-BUF plane as EGLImage attributes. */
#pragma once

#include <stdbool.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include "gpu.h"

#define GPU_DMABUF_ATTRIBS 19

/* Without the modifier attributes the driver assumes the buffer's implicit layout: that is
 * how an INVALID (implicit) modifier must be imported. */
void gpu_dmabuf_attribs(const struct dmabuf_plane *p, bool with_modifier,
                        EGLint attribs[GPU_DMABUF_ATTRIBS]);
