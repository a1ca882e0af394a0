/* Hand-written SVG: three panels of polylines with labelled axes. No library draws less. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"

#define WIDTH   900
#define PANEL_H 200
#define GAP     60
#define LEFT    70
#define RIGHT   220
#define TOP     60

struct axis {
    double max;  /* the axis ends here: a whole number of steps */
    double step; /* 1, 2 or 5 times a power of ten */
    int decimals;
};

struct panel {
    double y0; /* top of the drawing area */
    struct axis x, y;
};

struct series {
    const struct samples *s;
    const char *name;
    const char *key; /* its class in the SVG, for whoever reads the file back */
    const char *colour;
};

/* A step of 1, 2 or 5 x 10^n that cuts [0, top] into at most about five parts, so that tick
 * labels read as round numbers. */
static struct axis nice_axis(double top)
{
    double raw = (top > 0 ? top : 1) / 5, magnitude = pow(10, floor(log10(raw)));
    double norm = raw / magnitude;
    struct axis a;

    a.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
    a.max = ceil(top / a.step - 1e-9) * a.step;
    if (a.max < a.step)
        a.max = a.step;
    a.decimals = a.step >= 1 ? 0 : (int)ceil(-log10(a.step) - 1e-9);
    return a;
}

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
    return LEFT + seconds / p->x.max * (WIDTH - LEFT - RIGHT);
}

static double y_of(const struct panel *p, double ms)
{
    double v = ms > p->y.max ? p->y.max : ms;

    return p->y0 + PANEL_H - v / p->y.max * PANEL_H;
}

static void ticks(FILE *f, const struct panel *p)
{
    int n_y = (int)lround(p->y.max / p->y.step), n_x = (int)lround(p->x.max / p->x.step);

    for (int i = 0; i <= n_y; i++)
        fprintf(
            f,
            "<text class='tick y' x='%d' y='%.1f' font-size='11' text-anchor='end'>%.*f</text>\n",
            LEFT - 6, y_of(p, i * p->y.step) + 4, p->y.decimals, i * p->y.step);
    for (int i = 0; i <= n_x; i++)
        fprintf(f,
                "<text class='tick x' x='%.1f' y='%.0f' font-size='11' text-anchor='middle'>%.*f"
                "</text>\n",
                x_of(p, i * p->x.step), p->y0 + PANEL_H + 16, p->x.decimals, i * p->x.step);
}

static void axes(FILE *f, const struct panel *p, const char *label)
{
    fprintf(f, "<rect x='%d' y='%.0f' width='%d' height='%d' fill='none' stroke='#888'/>\n", LEFT,
            p->y0, WIDTH - LEFT - RIGHT, PANEL_H);
    ticks(f, p);
    fprintf(f, "<text x='%d' y='%.0f' font-size='11' text-anchor='end'>s</text>\n", WIDTH - RIGHT,
            p->y0 + PANEL_H + 30);
    fprintf(f,
            "<text x='16' y='%.0f' font-size='12' transform='rotate(-90 16 %.0f)' "
            "text-anchor='middle'>",
            p->y0 + PANEL_H / 2.0, p->y0 + PANEL_H / 2.0);
    escape(f, label);
    fputs("</text>\n", f);
}

/* Bench keeps no sample from the warm-up: the shaded part says why the lines start late. */
static void warmup(FILE *f, const struct panel *p, double seconds, bool label)
{
    double w = x_of(p, seconds > p->x.max ? p->x.max : seconds) - LEFT;

    if (seconds <= 0)
        return;
    fprintf(f,
            "<rect class='warmup' x='%d' y='%.0f' width='%.1f' height='%d' fill='#000' "
            "fill-opacity='0.08'/>\n",
            LEFT, p->y0, w, PANEL_H);
    if (label)
        fprintf(f,
                "<text class='warmup' x='%.1f' y='%.0f' font-size='11' fill='#555' "
                "text-anchor='middle'>warm-up</text>\n",
                LEFT + w / 2, p->y0 + 14);
}

/* Points of series `s` against frame times. A series may have fewer samples than there are
 * frames (no interval before the first; no latency for a frame without a stamp): it is taken
 * to be the later frames', which holds for the first case and for producers that stamp all
 * frames or none. */
static void polyline(FILE *f, const struct panel *p, const struct samples *times,
                     const struct series *s, int index)
{
    size_t skip = times->n > s->s->n ? times->n - s->s->n : 0;

    if (s->s->n == 0)
        return;
    fprintf(f, "<polyline class='series %s' fill='none' stroke='%s' stroke-width='1' points='",
            s->key, s->colour);
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

static void panel_of(FILE *f, struct panel *p, const struct capture_stats *st,
                     const struct series *s, size_t n, const char *label, double warmup_s)
{
    const struct samples *t = &st->frame_times;

    p->y = nice_axis(top_of(s, n));
    axes(f, p, label);
    warmup(f, p, warmup_s, p->y0 == TOP);
    for (size_t i = 0; i < n; i++)
        polyline(f, p, t, &s[i], (int)i);
}

static void title(FILE *f, const struct capture_stats *st, const struct plot_labels *l)
{
    char text[512];

    snprintf(text, sizeof(text), "pwzc bench: %s, %ux%u, path %s, encoder %s", l->producer,
             st->width, st->height, l->path, l->encoder);
    fprintf(f, "<text class='title' x='%d' y='28' font-size='16'>", LEFT);
    escape(f, text);
    fprintf(f,
            "</text>\n<text x='%d' y='46' font-size='11' fill='#555'>%" PRIu64
            " frames measured after %.1f s of warm-up (shaded: no sample kept)</text>\n",
            LEFT, st->measured_frames, l->warmup_ms / 1000.0);
}

int plot_svg(const char *path, const struct capture_stats *st, const struct plot_labels *l)
{
    FILE *f = fopen(path, "we");
    const struct samples *t = &st->frame_times;
    double seconds = t->n ? (double)t->values[t->n - 1] / 1e9 : 1, warmup_s = l->warmup_ms / 1e3;
    struct series intervals[] = {{&st->interval, "frame interval", "frame-interval", "#1f77b4"}};
    struct series stages[] = {{&st->dequeue, "dequeue", "dequeue", "#7f7f7f"},
                              {&st->copy, "copy", "copy", "#9467bd"},
                              {&st->upload, "upload", "upload", "#2ca02c"},
                              {&st->convert, "convert", "convert", "#ff7f0e"},
                              {&st->encode, "encode", "encode", "#d62728"}};
    struct series latency[] = {{&st->latency, "latency", "latency", "#8c564b"}};
    struct axis x = nice_axis(seconds > warmup_s ? seconds : warmup_s);
    struct panel top = {TOP, x}, middle = {TOP + PANEL_H + GAP, x};
    struct panel bottom = {TOP + 2 * (PANEL_H + GAP), x};

    if (!f)
        return -errno;
    fprintf(f,
            "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' "
            "width='%d' height='%d' font-family='sans-serif'>\n<rect width='100%%' "
            "height='100%%' fill='white'/>\n",
            WIDTH, TOP + 3 * (PANEL_H + GAP));
    title(f, st, l);
    panel_of(f, &top, st, intervals, 1, "frame interval (ms)", warmup_s);
    panel_of(f, &middle, st, stages, 5, "stage time (ms)", warmup_s);
    panel_of(f, &bottom, st, latency, 1, "latency, producer stamp to encoded (ms)", warmup_s);
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -errno;
}
