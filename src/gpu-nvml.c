/* GPU, encoder and memory use through NVML (libnvidia-ml.so.1, loaded at run time): what bench
 * reports beside the CPU's share. Declared here by hand: NVML's header is not in Debian main. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu.h"

typedef struct nvml_device *nvml_device;
typedef struct {
    unsigned int gpu, memory;
} nvml_utilization;
typedef struct {
    unsigned long long total, free, used;
} nvml_memory;

struct gpu_monitor {
    void *lib;
    nvml_device dev;
    int (*shutdown)(void);
    int (*utilization)(nvml_device, nvml_utilization *);
    int (*encoder)(nvml_device, unsigned int *, unsigned int *);
    int (*memory)(nvml_device, nvml_memory *);
    char name[96], driver[32];
    uint64_t samples, gpu_sum, enc_sum;
    unsigned int gpu_max, enc_max;
    unsigned long long mem_max;
};

static int load(struct gpu_monitor *m, struct pwzc_error *err)
{
    int (*init)(void), (*get)(unsigned int, nvml_device *);
    int (*name)(nvml_device, char *, unsigned int), (*driver)(char *, unsigned int);

    if (!(m->lib = dlopen("libnvidia-ml.so.1", RTLD_NOW)))
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENOENT,
                         "no libnvidia-ml.so.1 (no NVIDIA driver)");
    init = (int (*)(void))dlsym(m->lib, "nvmlInit_v2");
    get = (int (*)(unsigned int, nvml_device *))dlsym(m->lib, "nvmlDeviceGetHandleByIndex_v2");
    name = (int (*)(nvml_device, char *, unsigned int))dlsym(m->lib, "nvmlDeviceGetName");
    driver = (int (*)(char *, unsigned int))dlsym(m->lib, "nvmlSystemGetDriverVersion");
    m->shutdown = (int (*)(void))dlsym(m->lib, "nvmlShutdown");
    m->utilization =
        (int (*)(nvml_device, nvml_utilization *))dlsym(m->lib, "nvmlDeviceGetUtilizationRates");
    m->encoder = (int (*)(nvml_device, unsigned int *, unsigned int *))dlsym(
        m->lib, "nvmlDeviceGetEncoderUtilization");
    m->memory = (int (*)(nvml_device, nvml_memory *))dlsym(m->lib, "nvmlDeviceGetMemoryInfo");
    if (!init || !get || !m->shutdown || !m->utilization || init() != 0 || get(0, &m->dev) != 0)
        return pwzc_fail(err, PWZC_EXIT_UNSUPPORTED, -ENODEV, "NVML found no GPU");
    if (name)
        name(m->dev, m->name, sizeof(m->name));
    if (driver)
        driver(m->driver, sizeof(m->driver));
    return 0;
}

int gpu_monitor_open(struct gpu_monitor **out, struct pwzc_error *err)
{
    struct gpu_monitor *m = calloc(1, sizeof(*m));
    int res;

    *out = NULL;
    if (!m)
        return -ENOMEM;
    if ((res = load(m, err)) < 0) {
        if (m->lib)
            dlclose(m->lib);
        free(m);
        return res;
    }
    *out = m;
    return 0;
}

void gpu_monitor_sample(struct gpu_monitor *m)
{
    nvml_utilization u;
    nvml_memory mem;
    unsigned int enc = 0, period;

    if (!m || m->utilization(m->dev, &u) != 0)
        return;
    m->samples++;
    m->gpu_sum += u.gpu;
    m->gpu_max = u.gpu > m->gpu_max ? u.gpu : m->gpu_max;
    /* A GPU without an encoder answers "not supported" here: its use stays 0. */
    if (m->encoder && m->encoder(m->dev, &enc, &period) == 0) {
        m->enc_sum += enc;
        m->enc_max = enc > m->enc_max ? enc : m->enc_max;
    }
    if (m->memory && m->memory(m->dev, &mem) == 0 && mem.used > m->mem_max)
        m->mem_max = mem.used;
}

struct json_object *gpu_monitor_json(const struct gpu_monitor *m, const char *reason)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "available", json_object_new_boolean(m != NULL));
    if (!m) {
        json_object_object_add(obj, "reason", json_object_new_string(reason));
        return obj;
    }
    json_object_object_add(obj, "name", json_object_new_string(m->name));
    json_object_object_add(obj, "driver", json_object_new_string(m->driver));
    json_object_object_add(obj, "samples", json_object_new_int64((int64_t)m->samples));
    json_object_object_add(
        obj, "gpu_util_avg_percent",
        json_object_new_double(m->samples ? (double)m->gpu_sum / m->samples : 0));
    json_object_object_add(obj, "gpu_util_max_percent", json_object_new_int((int)m->gpu_max));
    json_object_object_add(
        obj, "encoder_util_avg_percent",
        json_object_new_double(m->samples ? (double)m->enc_sum / m->samples : 0));
    json_object_object_add(obj, "encoder_util_max_percent", json_object_new_int((int)m->enc_max));
    json_object_object_add(obj, "memory_used_max_mib",
                           json_object_new_double((double)m->mem_max / (1024.0 * 1024.0)));
    return obj;
}

void gpu_monitor_close(struct gpu_monitor *m)
{
    if (!m)
        return;
    m->shutdown();
    dlclose(m->lib);
    free(m);
}
