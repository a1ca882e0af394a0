/* The emulator as a session's producer: a child process, started and read until it is ready. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "profile.h"
#include "session-private.h"

#define EMULATOR_READY_MS 5000

static int read_ready_line(int fd, char *line, size_t size, uint32_t timeout_ms)
{
    size_t used = 0;
    uint64_t deadline = pwzc_now_ns() + (uint64_t)timeout_ms * 1000000ull;

    while (used < size - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        uint64_t now = pwzc_now_ns();
        ssize_t n;
        if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000000ull) + 1) <= 0)
            return -ETIMEDOUT;
        if ((n = read(fd, line + used, 1)) <= 0)
            return -EPIPE; /* the emulator exited before it was ready */
        if (line[used] == '\n')
            break;
        used += (size_t)n;
    }
    line[used] = '\0';
    return 0;
}

static void emulator_failure(int log_fd, char *buf, size_t size)
{
    ssize_t n = pread(log_fd, buf, size - 1, 0);
    char *nl;

    buf[n > 0 ? n : 0] = '\0';
    /* The child's own one-line error ("pwzc: unknown profile ..."), without the prefix. */
    if (strncmp(buf, "pwzc: ", 6) == 0)
        memmove(buf, buf + 6, strlen(buf + 6) + 1);
    if ((nl = strchr(buf, '\n')))
        *nl = '\0';
    if (!buf[0])
        snprintf(buf, size, "it exited without a word");
}

static int parse_ready(struct session *s, const char *line)
{
    struct json_object *obj = json_tokener_parse(line), *v;
    int res = -EPROTO;

    if (obj && json_object_object_get_ex(obj, "node_id", &v)) {
        s->node_id = (uint32_t)json_object_get_int64(v);
        if (json_object_object_get_ex(obj, "dmabuf", &v))
            snprintf(s->emulator_dmabuf, sizeof(s->emulator_dmabuf), "%s",
                     json_object_get_string(v));
        res = 0;
    }
    json_object_put(obj);
    return res;
}

static int build_emulator_argv(char **argv, size_t max, const struct pwzc_options *opts,
                               const struct session_options *o, char *size, char *fps)
{
    size_t n = 0;

    argv[n++] = (char *)pwzc_self_path();
    argv[n++] = "emulate";
    argv[n++] = "--json";
    argv[n++] = "--profile";
    argv[n++] = (char *)o->emulate;
    if (o->width) {
        sprintf(size, "%ux%u", o->width, o->height);
        argv[n++] = "--size";
        argv[n++] = size;
    }
    if (o->fps >= 0) {
        sprintf(fps, "%d", o->fps);
        argv[n++] = "--fps";
        argv[n++] = fps;
    }
    if (opts->remote) {
        argv[n++] = "--remote";
        argv[n++] = (char *)opts->remote;
    }
    argv[n] = NULL;
    return n < max ? 0 : -E2BIG;
}

/* The emulator runs as a child: a real producer process, as a compositor is. Its stderr goes
 * to a memfd that is read only if it fails to start. */
int session_start_emulator(struct session *s, const struct pwzc_options *opts,
                           struct pwzc_error *err)
{
    const struct session_options *o = s->o;
    char size[32], fps[16], line[512], failure[512];
    char *argv[16];
    int pipefd[2] = {-1, -1}, log_fd, res;

    build_emulator_argv(argv, 16, opts, o, size, fps);
    if ((log_fd = memfd_create("pwzc-emulator-log", MFD_CLOEXEC)) < 0 ||
        pipe2(pipefd, O_CLOEXEC) < 0) {
        res = -errno;
        pwzc_fail(err, PWZC_EXIT_EMULATOR, res, "cannot start the emulator: %s", strerror(-res));
        goto out;
    }
    s->emulator = spawn_child(argv, pipefd[1], log_fd);
    close(pipefd[1]);
    res = read_ready_line(pipefd[0], line, sizeof(line), EMULATOR_READY_MS);
    if (res == 0)
        res = parse_ready(s, line);
    if (res < 0) {
        emulator_failure(log_fd, failure, sizeof(failure));
        pwzc_fail(err, PWZC_EXIT_EMULATOR, res, "the emulator (profile %s) did not start: %s",
                  o->emulate, res == -ETIMEDOUT ? "no node within 5 s" : failure);
    }
out:
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (log_fd >= 0)
        close(log_fd);
    return res;
}

int session_check_profile(const char *name, struct pwzc_error *err)
{
    struct profile p;

    return profile_load(name, &p, err);
}

void session_stop_emulator(struct session *s)
{
    if (s->emulator > 0)
        stop_child(s->emulator, 3000);
    s->emulator = 0;
}
