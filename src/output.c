/* The capture's output: checked before the run, created with the first frame, put in place at
 * the end. A failed capture used to leave an existing file truncated to nothing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "pwzc.h"

#define TEMP_TRIES 100

static int refuse(struct pwzc_error *err, const char *role, const char *name, int res,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Every command says it alike: "cannot write [ROLE ]NAME: why", exit 15. */
static int refuse(struct pwzc_error *err, const char *role, const char *name, int res,
                  const char *fmt, ...)
{
    char why[2 * PATH_MAX + 64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return pwzc_fail(err, PWZC_EXIT_OUTPUT, res, "cannot write %s%s%s: %s", role ? role : "",
                     role ? " " : "", name, why);
}

/* "a/b/c" -> "a/b", "c" -> ".", "/c" -> "/". */
static void parent_dir(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

static int check_dir(const char *path, const char *role, const char *name, struct pwzc_error *err)
{
    char dir[PATH_MAX];
    struct stat st;
    int res;

    parent_dir(path, dir, sizeof(dir));
    res = stat(dir, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
    if (res == -ENOENT)
        return refuse(err, role, name, res, "directory %s does not exist", dir);
    if (res == -ENOTDIR)
        return refuse(err, role, name, res, "%s is not a directory", dir);
    if (res < 0)
        return refuse(err, role, name, res, "directory %s: %s", dir, strerror(-res));
    /* The file is created beside its target, so the directory must take new files. */
    if (access(dir, W_OK | X_OK) < 0)
        return refuse(err, role, name, -errno, "directory %s is not writable (%s)", dir,
                      strerror(errno));
    return 0;
}

/* As output_check, the message naming the file as the user gave it (name). */
static int check(const char *path, const char *role, const char *name, struct pwzc_error *err)
{
    struct stat st;

    if (!*path)
        return refuse(err, role, name, -ENOENT, "the path is empty");
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return refuse(err, role, name, -EISDIR, "it is a directory");
        if (access(path, W_OK) < 0)
            return refuse(err, role, name, -errno, "it is not writable (%s)", strerror(errno));
        if (!S_ISREG(st.st_mode))
            return 0; /* a device or a pipe: written in place */
    } else if (errno != ENOENT && errno != ENOTDIR) {
        return refuse(err, role, name, -errno, "%s", strerror(errno));
    }
    return check_dir(path, role, name, err);
}

int output_check(const char *path, const char *role, struct pwzc_error *err)
{
    return check(path, role, path, err);
}

static int open_stream(struct output *out, struct pwzc_error *err)
{
    /* No O_TRUNC: a device or a pipe has nothing to lose, and a file is never opened here. */
    if ((out->fd = open(out->target, O_WRONLY | O_CLOEXEC)) < 0)
        return refuse(err, NULL, out->name, -errno, "%s", strerror(errno));
    out->stream = true;
    return 0;
}

int output_open(struct output *out, const char *path, struct pwzc_error *err)
{
    struct stat st;
    int res;

    *out = (struct output){.name = path, .fd = -1};
    if (strcmp(path, "-") == 0) {
        *out = (struct output){.name = "stdout", .fd = STDOUT_FILENO, .stream = true};
        return 0;
    }
    /* A symlink stays one: the file it points to is the one replaced. */
    if (!realpath(path, out->target))
        snprintf(out->target, sizeof(out->target), "%s", path);
    if ((res = check(out->target, NULL, path, err)) < 0)
        return res;
    if (stat(out->target, &st) < 0)
        return 0;
    if (!S_ISREG(st.st_mode))
        return open_stream(out, err);
    out->has_mode = true;
    out->mode = st.st_mode & 07777;
    return 0;
}

/* ".NAME.XXXXXX" in the target's directory: rename() is atomic only within one file system. */
static int temp_name(struct output *out)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const char *slash = strrchr(out->target, '/');
    int dir_len = slash ? (int)(slash - out->target + 1) : 0;
    unsigned char rnd[6];
    char suffix[7];

    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
        uint64_t t = pwzc_now_ns() ^ ((uint64_t)getpid() << 40);
        memcpy(rnd, &t, sizeof(rnd));
    }
    for (size_t i = 0; i < sizeof(rnd); i++)
        suffix[i] = chars[rnd[i] % (sizeof(chars) - 1)];
    suffix[6] = '\0';
    if (snprintf(out->temp, sizeof(out->temp), "%.*s.%s.%s", dir_len, out->target,
                 out->target + dir_len, suffix) >= (int)sizeof(out->temp))
        return -ENAMETOOLONG;
    return 0;
}

static int create_temp(struct output *out)
{
    int res = -EEXIST;

    for (int i = 0; i < TEMP_TRIES && res == -EEXIST; i++) {
        if ((res = temp_name(out)) < 0)
            break;
        /* O_EXCL: never someone else's file, nor a link planted under the name. */
        out->fd = open(out->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        res = out->fd < 0 ? -errno : 0;
    }
    if (res < 0) {
        out->temp[0] = '\0';
        return res;
    }
    if (out->has_mode)
        (void)fchmod(out->fd, out->mode); /* as sed -i does; a failure leaves 0644 & ~umask */
    return 0;
}

int output_write(struct output *out, const void *bytes, size_t size)
{
    const unsigned char *b = bytes;
    int res;

    if (out->fd < 0 && (res = create_temp(out)) < 0)
        return res;
    while (size > 0) {
        ssize_t n = write(out->fd, b, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        b += n;
        size -= (size_t)n;
        out->bytes += (uint64_t)n;
    }
    return 0;
}

int output_fd(struct output *out)
{
    int res;

    if (out->fd < 0 && (res = create_temp(out)) < 0)
        return res;
    return out->fd;
}

int output_finish(struct output *out, struct pwzc_error *err)
{
    struct stat st;
    int res = 0;

    if (out->fd < 0)
        return 0;
    /* A muxer writes (and seeks) through the fd itself: the file's size counts too. */
    if (!out->stream && fstat(out->fd, &st) == 0 && (uint64_t)st.st_size > out->bytes)
        out->bytes = (uint64_t)st.st_size;
    if (out->stream) {
        if (out->fd != STDOUT_FILENO)
            close(out->fd);
        out->fd = -1;
        return 0;
    }
    if (close(out->fd) < 0 && errno != EINTR)
        res = refuse(err, NULL, out->name, -errno, "closing %s: %s", out->temp, strerror(errno));
    out->fd = -1;
    if (res == 0 && out->bytes > 0 && rename(out->temp, out->target) == 0)
        return 0;
    if (res == 0 && out->bytes > 0)
        res = refuse(err, NULL, out->name, -errno, "cannot rename %s to %s: %s", out->temp,
                     out->target, strerror(errno));
    unlink(out->temp);
    return res;
}
