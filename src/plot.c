/* Hand-written SVG: two panels of polylines with labelled axes. No library draws less. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"

#define WIDTH   900
#define PANEL_H 230
#define LEFT    70
#define RIGHT   220
#define TOP     50

struct panel {
    double y0;    /* top of the drawing area */
    double x_max; /* seconds */
    double y_max; /* milliseconds */
};

struct series {
    const struct samples *s;
    const char *name;
    const char *colour;
};

static void escape(FILE *f, const char *text)
{
    for (; *text; text++) {
        if (*text == '<')
            fputs("&lt;", f);
        else if (*text == '>')
            fputs("&gt;", f);
        else if (*text == '&')
            fputs("&amp;", f);
        else
            fputc(*text, f);
    }
}

static double x_of(const struct panel *p, double seconds)
{
    return LEFT + seconds / p->x_max * (WIDTH - LEFT - RIGHT);
}

static double y_of(const struct panel *p, double ms)
{
    double v = ms > p->y_max ? p->y_max : ms;

    return p->y0 + PANEL_H - v / p->y_max * PANEL_H;
}

static void axes(FILE *f, const struct panel *p, const char *label)
{
    fprintf(f, "<rect x='%d' y='%.0f' width='%d' height='%d' fill='none' stroke='#888'/>\n", LEFT,
            p->y0, WIDTH - LEFT - RIGHT, PANEL_H);
    for (int i = 0; i <= 4; i++) {
        double ms = p->y_max * i / 4, s = p->x_max * i / 4;
        fprintf(f, "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%.2f</text>\n", LEFT - 6,
                y_of(p, ms) + 4, ms);
        fprintf(f, "<text x='%.1f' y='%.0f' font-size='11' text-anchor='middle'>%.1f s</text>\n",
                x_of(p, s), p->y0 + PANEL_H + 16, s);
    }
    fprintf(f,
            "<text x='16' y='%.0f' font-size='12' transform='rotate(-90 16 %.0f)' "
            "text-anchor='middle'>",
            p->y0 + PANEL_H / 2.0, p->y0 + PANEL_H / 2.0);
    escape(f, label);
    fputs("</text>\n", f);
}

/* Points of series `s` against frame times; the series may start later (no first interval). */
static void polyline(FILE *f, const struct panel *p, const struct samples *times,
                     const struct series *s, int index)
{
    size_t skip = times->n > s->s->n ? times->n - s->s->n : 0;

    if (s->s->n == 0)
        return;
    fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='1' points='", s->colour);
    for (size_t i = 0; i < s->s->n && i + skip < times->n; i++)
        fprintf(f, "%.1f,%.1f ", x_of(p, (double)times->values[i + skip] / 1e9),
                y_of(p, (double)s->s->values[i] / 1e6));
    fputs("'/>\n", f);
    fprintf(f, "<text x='%d' y='%.0f' font-size='12' fill='%s'>", WIDTH - RIGHT + 12,
            p->y0 + 16 + index * 16, s->colour);
    escape(f, s->name);
    fprintf(f, " (p99 %.2f ms)</text>\n", (double)samples_percentile(s->s, 99) / 1e6);
}

static double top_of(const struct series *s, size_t n)
{
    double top = 0.1;

    /* The p99 with headroom: a single stall should not flatten every other point. */
    for (size_t i = 0; i < n; i++) {
        double v = (double)samples_percentile(s[i].s, 99) / 1e6 * 1.5;
        top = v > top ? v : top;
    }
    return top;
}

int plot_svg(const char *path, const struct capture_stats *st, const char *title)
{
    FILE *f = fopen(path, "we");
    const struct samples *t = &st->frame_times;
    double seconds = t->n ? (double)t->values[t->n - 1] / 1e9 + 0.001 : 1;
    struct series intervals[] = {{&st->interval, "frame interval", "#1f77b4"}};
    struct series stages[] = {{&st->dequeue, "dequeue", "#7f7f7f"},
                              {&st->copy, "copy", "#9467bd"},
                              {&st->upload, "upload", "#2ca02c"},
                              {&st->convert, "convert", "#ff7f0e"},
                              {&st->encode, "encode", "#d62728"}};
    struct panel top = {TOP, seconds, top_of(intervals, 1)};
    struct panel bottom = {TOP + PANEL_H + 60, seconds, top_of(stages, 5)};

    if (!f)
        return -errno;
    fprintf(f,
            "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' "
            "width='%d' height='%d' font-family='sans-serif'>\n<rect width='100%%' "
            "height='100%%' fill='white'/>\n<text x='%d' y='28' font-size='16'>",
            WIDTH, TOP + 2 * PANEL_H + 100, LEFT);
    escape(f, title);
    fputs("</text>\n", f);
    axes(f, &top, "frame interval (ms)");
    polyline(f, &top, t, &intervals[0], 0);
    axes(f, &bottom, "stage time (ms)");
    for (int i = 0; i < 5; i++)
        polyline(f, &bottom, t, &stages[i], i);
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -errno;
}
