/* An SVG of a bench run: frame intervals, each stage's time and the latency over time. */
#pragma once

#include "capture.h"

/* What the title says the run was, and where the warm-up ends. */
struct plot_labels {
    const char *producer; /* "emulator gnome-headless", "node 47 (gnome-shell)" */
    const char *path;     /* capture_path_name: "shm-cpu", "zerocopy", ... */
    const char *encoder;  /* "openh264", "nvenc", "none" */
    uint32_t warmup_ms;   /* from the start of st's clock: samples before it were not kept */
};

/* Writes the plot to path; -errno when it cannot. The SVG stands on its own: title, axes with
 * round ticks, units, legend, the warm-up shaded. */
int plot_svg(const char *path, const struct capture_stats *st, const struct plot_labels *labels);
