/* floor WIDTH HEIGHT FRAMES: the physical floor of taking a frame, one memcpy of it, from eight
 * buffers in turn (as a producer's buffers rotate, so the cache does not flatter it). Prints the
 * CPU milliseconds a frame. Built and run by bench/run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static double cpu_ms(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
    size_t w = argc > 1 ? strtoul(argv[1], NULL, 10) : 1920;
    size_t h = argc > 2 ? strtoul(argv[2], NULL, 10) : 1080;
    int frames = argc > 3 ? atoi(argv[3]) : 500;
    size_t size = w * h * 4;
    unsigned char *src[8], *dst = malloc(size);
    double start;

    for (int i = 0; i < 8; i++) {
        src[i] = malloc(size);
        memset(src[i], i, size);
    }
    memset(dst, 0, size);
    start = cpu_ms();
    for (int i = 0; i < frames; i++) {
        memcpy(dst, src[i % 8], size);
        /* The copy must happen: nothing reads dst, so tell the compiler something might. */
        __asm__ volatile("" : : "r"(dst) : "memory");
    }
    printf("%.4f\n", (cpu_ms() - start) / frames);
    return 0;
}
