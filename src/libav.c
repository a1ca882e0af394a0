/* libavformat loaded at run time: see libav.h. */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "libav.h"

#define STRINGIFY(x)  #x
#define SONAME(major) "libavformat.so." STRINGIFY(major)

static struct libav functions;
static const struct libav *loaded;
static char failure[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

const char *libav_soname(void)
{
    return SONAME(LIBAVFORMAT_VERSION_MAJOR);
}

/* dlsym through libavformat's handle finds libavcodec's and libavutil's functions too: they are
 * its dependencies, loaded with it. The handle is never closed: FFmpeg keeps global state. */
static void load(void)
{
    void *lib = dlopen(libav_soname(), RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        snprintf(failure, sizeof(failure), "%s", dlerror());
        return;
    }
#define LIBAV_RESOLVE(name)                                                                        \
    if (!(functions.name = (__typeof__(functions.name))dlsym(lib, #name))) {                       \
        snprintf(failure, sizeof(failure), "%s has no %s", libav_soname(), #name);                 \
        return;                                                                                    \
    }
    LIBAV_FUNCTIONS(LIBAV_RESOLVE)
#undef LIBAV_RESOLVE
    loaded = &functions;
}

const struct libav *libav_load(const char **why)
{
    pthread_once(&once, load);
    if (!loaded && why)
        *why = failure;
    return loaded;
}
