/* A portal backend that exits takes every screencast it serves with it: on PipeWire 1.x
 * xdg-desktop-portal-wlr 0.7 and 0.8 exit on the fatal core error a failed link sends the
 * producer ("pipewire: fatal error event from core"). pwzc must know when its own offer did
 * that, and say so, instead of guessing at start order. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "portal-backend.h"

#define BACKEND_PREFIX "org.freedesktop.impl.portal.desktop."
#define DBUS_NAME      "org.freedesktop.DBus"
#define DBUS_PATH      "/org/freedesktop/DBus"

static uint32_t owner_pid(struct dbus_ctx *d, const char *name)
{
    GVariant *r = dbus_call(d, DBUS_NAME, DBUS_PATH, DBUS_NAME, "GetConnectionUnixProcessID",
                            g_variant_new("(s)", name), "(u)", 2000, NULL);
    uint32_t pid = 0;

    if (r) {
        g_variant_get(r, "(u)", &pid);
        g_variant_unref(r);
    }
    return pid;
}

/* Its program (argv[0]'s base name: /proc/PID/comm stops at 15 characters), or what such a
 * backend is called after its bus name. */
static void program_of(struct portal_backend *b)
{
    const char *suffix = b->name + strlen(BACKEND_PREFIX);
    char made[sizeof(b->program)], path[64], argv0[256] = "";
    FILE *f;

    snprintf(made, sizeof(made), "xdg-desktop-portal-%s", suffix);
    snprintf(path, sizeof(path), "/proc/%u/cmdline", b->pid);
    if (b->pid && (f = fopen(path, "re"))) {
        size_t n = fread(argv0, 1, sizeof(argv0) - 1, f);
        argv0[n] = '\0'; /* the first NUL ends argv[0] */
        fclose(f);
    }
    if (argv0[0]) {
        const char *base = strrchr(argv0, '/');
        snprintf(made, sizeof(made), "%s", base ? base + 1 : argv0);
    }
    memcpy(b->program, made, sizeof(made));
}

void portal_backends_read(struct dbus_ctx *d, struct portal_backends *out)
{
    char names[1024], *save = NULL, *name;

    memset(out, 0, sizeof(*out));
    dbus_names_with_prefix(d, BACKEND_PREFIX, names, sizeof(names));
    for (name = strtok_r(names, ",", &save); name && out->n < PORTAL_BACKENDS_MAX;
         name = strtok_r(NULL, ",", &save)) {
        struct portal_backend *b = &out->b[out->n++];
        snprintf(b->name, sizeof(b->name), "%s", name);
        b->pid = owner_pid(d, name);
        program_of(b);
    }
}

static const struct portal_backend *lost_now(struct dbus_ctx *d,
                                            const struct portal_backends *before)
{
    /* Another owner is a death too: xdg-desktop-portal 1.22 (Debian forky) calls the backend again
     * as soon as it has gone, and D-Bus activation restarts it before we look. */
    for (uint32_t i = 0; i < before->n; i++)
        if (!dbus_has_owner(d, before->b[i].name) ||
            (before->b[i].pid && owner_pid(d, before->b[i].name) != before->b[i].pid))
            return &before->b[i];
    return NULL;
}

const struct portal_backend *portal_backends_lost(struct dbus_ctx *d,
                                                  const struct portal_backends *before,
                                                  uint32_t wait_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)wait_ms * 1000;
    const struct portal_backend *lost;

    while (!(lost = lost_now(d, before)) && g_get_monotonic_time() < deadline)
        g_usleep(20000);
    return lost;
}

bool portal_backend_activatable(struct dbus_ctx *d, const struct portal_backend *b)
{
    GVariant *r = dbus_call(d, DBUS_NAME, DBUS_PATH, DBUS_NAME, "ListActivatableNames", NULL,
                            "(as)", 2000, NULL);
    GVariantIter *iter;
    const char *name;
    bool found = false;

    if (!r)
        return false;
    g_variant_get(r, "(as)", &iter);
    while (!found && g_variant_iter_next(iter, "&s", &name))
        found = strcmp(name, b->name) == 0;
    g_variant_iter_free(iter);
    g_variant_unref(r);
    return found;
}

int portal_backend_restart(struct dbus_ctx *d, const struct portal_backend *b, uint32_t timeout_ms,
                           uint32_t *pid)
{
    GVariant *r = dbus_call(d, DBUS_NAME, DBUS_PATH, DBUS_NAME, "StartServiceByName",
                            g_variant_new("(su)", b->name, 0u), "(u)", (int)timeout_ms, NULL);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    if (!r)
        return -EIO;
    g_variant_unref(r);
    /* StartServiceByName answers once the name is owned; the check covers a racing exit. */
    while (!dbus_has_owner(d, b->name)) {
        if (g_get_monotonic_time() >= deadline)
            return -ETIMEDOUT;
        g_usleep(20000);
    }
    *pid = owner_pid(d, b->name);
    return 0;
}
