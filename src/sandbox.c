/* The README's first command runs here: nothing of the user's session is touched or needed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connection.h"
#include "registry.h"
#include "sandbox.h"

#define START_TIMEOUT_MS 10000

pid_t spawn_child(char *const argv[], int stdout_fd, int stderr_fd)
{
    pid_t parent = getpid(), pid = fork();

    if (pid != 0)
        return pid;
    /* Die with pwzc, even when it is killed: a diagnostic tool must not leave daemons behind. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(127);
    if (stdout_fd >= 0)
        dup2(stdout_fd, STDOUT_FILENO);
    if (stderr_fd >= 0)
        dup2(stderr_fd, STDERR_FILENO);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

void stop_child(pid_t pid, int timeout_ms)
{
    int status;

    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

static bool child_alive(pid_t pid)
{
    int status;

    return waitpid(pid, &status, WNOHANG) == 0;
}

static void log_tail(const char *path, char *buf, size_t size)
{
    char text[4096] = "";
    FILE *f = fopen(path, "re");
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    char *last;

    if (f)
        fclose(f);
    text[n] = '\0';
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    last = strrchr(text, '\n');
    snprintf(buf, size, "%s", last ? last + 1 : text[0] ? text : "(no output)");
}

static int write_bus_config(const struct sandbox *sb)
{
    char path[300];
    FILE *f;

    snprintf(path, sizeof(path), "%s/bus.conf", sb->dir);
    if (!(f = fopen(path, "we")))
        return -errno;
    /* No service directories: nothing gets activated behind our back. */
    fprintf(f,
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            "<busconfig><type>session</type><keep_umask/>"
            "<listen>unix:path=%s/bus</listen><auth>EXTERNAL</auth>"
            "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
            "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
            sb->dir);
    return fclose(f) == 0 ? 0 : -errno;
}

/* WirePlumber 0.4's Bluetooth monitor loads its logind module, whose failure is fatal: on a
 * machine without systemd-logind (a container, a VM image, the GPU machine) WirePlumber exits and
 * the sandbox never gets ready. A sandbox has no use for Bluetooth seats; this file, read from
 * XDG_CONFIG_HOME (the sandbox's own), turns that off. WirePlumber 0.5 reads no .lua files and
 * does without logind by itself. */
static int write_wireplumber_config(const struct sandbox *sb)
{
    char path[400];
    FILE *f;

    snprintf(path, sizeof(path), "%s/wireplumber", sb->dir);
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return -errno;
    snprintf(path, sizeof(path), "%s/wireplumber/bluetooth.lua.d", sb->dir);
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return -errno;
    snprintf(path, sizeof(path), "%s/wireplumber/bluetooth.lua.d/60-pwzc-sandbox.lua", sb->dir);
    if (!(f = fopen(path, "we")))
        return -errno;
    fprintf(f, "bluez_monitor.properties[\"with-logind\"] = false\n");
    return fclose(f) == 0 ? 0 : -errno;
}

static int wait_for_path(const char *path, pid_t pid)
{
    struct stat st;

    for (int waited = 0; waited < START_TIMEOUT_MS; waited += 10) {
        if (stat(path, &st) == 0)
            return 0;
        if (!child_alive(pid))
            return -ECHILD;
        usleep(10000);
    }
    return -ETIMEDOUT;
}

static int start_daemon(struct sandbox *sb, pid_t *pid, char *const argv[], const char *name,
                        const char *ready_path, struct pwzc_error *err)
{
    char log[300], path[300], tail[256];
    int res;

    int fd;

    snprintf(log, sizeof(log), "%s/%s.log", sb->dir, name);
    snprintf(path, sizeof(path), "%s/%s", sb->dir, ready_path);
    if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
        return -errno;
    *pid = spawn_child(argv, fd, fd);
    close(fd);
    if (*pid < 0)
        return -errno;
    if ((res = wait_for_path(path, *pid)) < 0) {
        log_tail(log, tail, sizeof(tail));
        pwzc_fail(err, PWZC_EXIT_SANDBOX, res, "sandbox: %s did not start (%s): %s", name,
                  res == -ECHILD ? "it exited" : "timed out", tail);
    }
    return res;
}

/* WirePlumber is ready to link streams once its policy made the "default" metadata. */
static int wait_for_session_manager(struct sandbox *sb, const struct pwzc_options *opts,
                                    struct pwzc_error *err)
{
    struct pwzc_options direct = *opts;
    struct pwzc_error ignored = {0};
    struct connection c;
    struct registry r;
    uint64_t deadline = pwzc_now_ns() + START_TIMEOUT_MS * 1000000ull;
    int res = -ETIMEDOUT;

    direct.remote = NULL;
    direct.fd = -1;
    if (connection_open(&c, &direct, &ignored) < 0) {
        pwzc_fail(err, PWZC_EXIT_SANDBOX, -ECONNREFUSED, "sandbox: cannot reach its pipewire: %s",
                  ignored.message);
        return -ECONNREFUSED;
    }
    if (registry_open(&r, &c) == 0) {
        while (!r.saw_default_metadata && pwzc_now_ns() < deadline && child_alive(sb->wireplumber))
            connection_run(&c, 20);
        res = r.saw_default_metadata ? 0 : -ETIMEDOUT;
        registry_close(&r);
    }
    connection_close(&c);
    if (res < 0) {
        char log[300], tail[256];
        snprintf(log, sizeof(log), "%s/wireplumber.log", sb->dir);
        log_tail(log, tail, sizeof(tail));
        pwzc_fail(err, PWZC_EXIT_SANDBOX, res, "sandbox: wireplumber did not get ready: %s", tail);
    }
    return res;
}

static void set_environment(const struct sandbox *sb)
{
    char bus[300];

    snprintf(bus, sizeof(bus), "unix:path=%s/bus", sb->dir);
    setenv("XDG_RUNTIME_DIR", sb->dir, 1);
    setenv("XDG_STATE_HOME", sb->dir, 1);
    setenv("XDG_CONFIG_HOME", sb->dir, 1);
    setenv("DBUS_SESSION_BUS_ADDRESS", bus, 1);
    unsetenv("PIPEWIRE_RUNTIME_DIR");
    unsetenv("PIPEWIRE_REMOTE");
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
}

int sandbox_start(struct sandbox *sb, const struct pwzc_options *opts, struct pwzc_error *err)
{
    char conf_arg[300];
    char *dbus_argv[] = {DBUS_DAEMON_BIN, conf_arg, "--nofork", "--nopidfile", NULL};
    char *pipewire_argv[] = {PIPEWIRE_BIN, NULL};
    char *wireplumber_argv[] = {WIREPLUMBER_BIN, NULL};
    const char *tmp = getenv("TMPDIR");
    int res;

    memset(sb, 0, sizeof(*sb));
    snprintf(sb->dir, sizeof(sb->dir), "%s/pwzc-sandbox-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(sb->dir)) {
        res = -errno;
        pwzc_fail(err, PWZC_EXIT_SANDBOX, res, "sandbox: cannot create %s: %s", sb->dir,
                  strerror(-res));
        sb->dir[0] = '\0';
        return res;
    }
    set_environment(sb);
    snprintf(conf_arg, sizeof(conf_arg), "--config-file=%s/bus.conf", sb->dir);
    if ((res = write_bus_config(sb)) < 0 || (res = write_wireplumber_config(sb)) < 0 ||
        (res = start_daemon(sb, &sb->dbus, dbus_argv, "dbus-daemon", "bus", err)) < 0 ||
        (res = start_daemon(sb, &sb->pipewire, pipewire_argv, "pipewire", "pipewire-0", err)) < 0 ||
        (res = start_daemon(sb, &sb->wireplumber, wireplumber_argv, "wireplumber", "pipewire-0",
                            err)) < 0 ||
        (res = wait_for_session_manager(sb, opts, err)) < 0) {
        sandbox_stop(sb);
        return res;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

void sandbox_stop(struct sandbox *sb)
{
    stop_child(sb->wireplumber, 3000);
    stop_child(sb->pipewire, 3000);
    stop_child(sb->dbus, 3000);
    sb->wireplumber = sb->pipewire = sb->dbus = 0;
    if (sb->dir[0] && !getenv("PWZC_KEEP_SANDBOX"))
        nftw(sb->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    sb->dir[0] = '\0';
}
