/* A fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once over each file named (a
 * directory: each file in it), so that `make check` replays the seed corpus and every crash
 * fixed so far with whatever compiler and sanitizers the build has. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;
    int res = 0;

    if (!f)
        return -errno;
    if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
        res = -errno;
        goto out;
    }
    /* One byte more than needed: malloc(0) may be NULL, and an empty input is an input. */
    if (!(data = malloc((size_t)size + 1))) {
        res = -ENOMEM;
        goto out;
    }
    if (fread(data, 1, (size_t)size, f) != (size_t)size) {
        res = -EIO;
        goto out;
    }
    LLVMFuzzerTestOneInput(data, (size_t)size);
out:
    free(data);
    fclose(f);
    return res;
}

static int replay_dir(const char *dir, unsigned *count)
{
    struct dirent **names;
    char path[4096];
    int n, res = 0;

    if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
        return -errno;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.' && res == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            if ((res = replay_file(path)) < 0)
                fprintf(stderr, "replay: %s: %s\n", path, strerror(-res));
            (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return res;
}

int main(int argc, char **argv)
{
    unsigned count = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        int res = stat(argv[i], &st) < 0 ? -errno
                  : S_ISDIR(st.st_mode)  ? replay_dir(argv[i], &count)
                                         : (count++, replay_file(argv[i]));
        if (res < 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(-res));
            return 1;
        }
    }
    printf("replayed %u input%s\n", count, count == 1 ? "" : "s");
    return 0;
}
