/* read-stamps WIDTH HEIGHT: reads raw 8-bit luma frames (ffmpeg -f rawvideo -pix_fmt gray) on
 * stdin and prints the block-coded sequence number the emulator drew into each, one a line
 * ("?" where none can be read). Tests use it to check an encoded capture frame by frame. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "pattern.h"

int main(int argc, char **argv)
{
    unsigned long width, height;
    unsigned char *frame;
    size_t size;

    if (argc != 3 || !(width = strtoul(argv[1], NULL, 10)) ||
        !(height = strtoul(argv[2], NULL, 10)))
        return fprintf(stderr, "usage: read-stamps WIDTH HEIGHT < frames.gray\n"), 2;
    size = width * height;
    if (!(frame = malloc(size)))
        return 1;
    while (fread(frame, 1, size, stdin) == size) {
        uint32_t seq;
        if (pattern_read_blocks(frame, (uint32_t)width, (uint32_t)height, (uint32_t)width, &seq))
            printf("%u\n", seq);
        else
            printf("?\n");
    }
    free(frame);
    return 0;
}
