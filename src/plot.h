/* An SVG of a bench run: frame intervals over time, and each stage's time over time. */
#pragma once

#include "capture.h"

/* Writes the plot to path; -errno when it cannot. The SVG stands on its own: title, axes,
 * units, legend. */
int plot_svg(const char *path, const struct capture_stats *st, const char *title);
