/* GKeyFile would do, but its errors carry no line number, and a profile author needs one. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "ini.h"
#include "pwzc.h"

#define MAX_FILE_BYTES (64 * 1024)

static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int parse_line(char *line, char *section, size_t section_size, ini_handler handler,
                      void *data, struct pwzc_error *reason)
{
    char *s = trim(line), *eq;

    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close || trim(close + 1)[0] != '\0')
            return pwzc_fail(reason, PWZC_EXIT_PROFILE, -EINVAL,
                             "a section header must look like [name]");
        *close = '\0';
        snprintf(section, section_size, "%s", trim(s + 1));
        return handler(data, section, NULL, NULL, reason);
    }
    if (!(eq = strchr(s, '=')))
        return pwzc_fail(reason, PWZC_EXIT_PROFILE, -EINVAL, "expected 'key = value', got '%.60s'",
                         s);
    *eq = '\0';
    if (!section[0])
        return pwzc_fail(reason, PWZC_EXIT_PROFILE, -EINVAL, "'%.40s' stands before any [section]",
                         trim(s));
    return handler(data, section, trim(s), trim(eq + 1), reason);
}

int ini_parse(const char *text, const char *filename, ini_handler handler, void *data,
              struct pwzc_error *err)
{
    char section[64] = "";
    int lineno = 0, res = 0;

    for (const char *p = text; p && *p && res == 0; lineno++) {
        const char *nl = strchr(p, '\n');
        char *line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
        /* The line's own reason; the error the caller gets is placed at its file and line. */
        struct pwzc_error reason = {0};

        if (!line)
            return -ENOMEM;
        res = parse_line(line, section, sizeof(section), handler, data, &reason);
        if (res < 0)
            pwzc_fail(err, PWZC_EXIT_PROFILE, res, "%s:%d: %s", filename, lineno + 1,
                      reason.message[0] ? reason.message : strerror(-res));
        free(line);
        p = nl ? nl + 1 : NULL;
    }
    return res;
}

int ini_text(char *dst, size_t size, const char *value)
{
    snprintf(dst, size, "%s", value);
    return 0;
}

/* Text is what a person can write in an editor: no NUL and no control bytes but tab, CR, LF. */
static bool is_text(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    return true;
}

int ini_read_file(const char *path, char **text)
{
    FILE *f = fopen(path, "re");
    struct stat st;
    size_t n = 0;
    char *buf = NULL;
    int res = 0;

    if (!f)
        return -errno;
    /* fopen opens a directory for reading; its read fails only later, as EISDIR or EIO. */
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        res = -EISDIR;
        goto out;
    }
    if (!(buf = malloc(MAX_FILE_BYTES + 1))) {
        res = -ENOMEM;
        goto out;
    }
    n = fread(buf, 1, MAX_FILE_BYTES + 1, f);
    if (ferror(f))
        res = -EIO;
    else if (n > MAX_FILE_BYTES)
        res = -EFBIG;
    else if (!is_text(buf, n))
        res = -EILSEQ;
out:
    fclose(f);
    if (res < 0) {
        free(buf);
        return res;
    }
    buf[n] = '\0';
    *text = buf;
    return 0;
}

static const char *read_problem(int res)
{
    switch (res) {
    case -EISDIR:
        return "it is a directory";
    case -EILSEQ:
        return "it is not a text file (binary bytes in it)";
    case -EFBIG:
        return "it is larger than 64 KiB";
    default:
        return strerror(-res);
    }
}

struct json_object *ini_names(const struct ini_kind *kind)
{
    struct json_object *names = json_object_new_array();
    char dir[4096], suffix[32];
    struct dirent **entries;
    size_t slen;
    int n;

    snprintf(dir, sizeof(dir), "%s/%s", pwzc_datadir(), kind->dir);
    slen = (size_t)snprintf(suffix, sizeof(suffix), ".%s", kind->ext);
    if ((n = scandir(dir, &entries, NULL, alphasort)) < 0)
        return names;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(entries[i]->d_name);
        if (len > slen && strcmp(entries[i]->d_name + len - slen, suffix) == 0)
            json_object_array_add(
                names, json_object_new_string_len(entries[i]->d_name, (int)(len - slen)));
        free(entries[i]);
    }
    free(entries);
    return names;
}

void ini_list(const struct ini_kind *kind, char *buf, size_t size)
{
    struct json_object *names = ini_names(kind);
    size_t used = 0, n = json_object_array_length(names);

    buf[0] = '\0';
    if (n == 0)
        snprintf(buf, size, "none (no %s in %s)", kind->dir, pwzc_datadir());
    for (size_t i = 0; i < n; i++)
        used +=
            (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s", used ? ", " : "",
                             json_object_get_string(json_object_array_get_idx(names, i)));
    json_object_put(names);
}

int ini_load(const struct ini_kind *kind, const char *name_or_path, char **text, char *path,
             size_t path_size, struct pwzc_error *err)
{
    char known[1024];
    bool is_path = strchr(name_or_path, '/') != NULL;
    int res;

    if (is_path)
        snprintf(path, path_size, "%s", name_or_path);
    else
        snprintf(path, path_size, "%s/%s/%s.%s", pwzc_datadir(), kind->dir, name_or_path,
                 kind->ext);
    if ((res = ini_read_file(path, text)) == 0)
        return 0;
    if (res == -ENOENT && !is_path) {
        ini_list(kind, known, sizeof(known));
        return pwzc_fail(err, PWZC_EXIT_PROFILE, res, "unknown %s '%s' (known: %s)", kind->noun,
                         name_or_path, known);
    }
    return pwzc_fail(err, PWZC_EXIT_PROFILE, res, "cannot read %s %s: %s", kind->noun, path,
                     read_problem(res));
}
