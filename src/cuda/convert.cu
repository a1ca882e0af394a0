// RGB (4 bytes a pixel) to NV12 on the GPU, one thread per 2x2 block. The arithmetic is
// src/convert.c's, bit for bit (integer BT.601, limited range, rounded chroma average), so the
// SHM -> CUDA path and the CPU path produce the same NV12.
//
// pwzc does not need the CUDA toolkit at run time: convert.ptx, generated from this file by
// `make ptx` (nvcc), is committed and embedded, and the driver JIT-compiles it
// (cuModuleLoadData).

extern "C" __global__ void rgb_to_nv12(const unsigned char *src, unsigned int src_pitch,
                                       unsigned char *y_plane, unsigned int y_pitch,
                                       unsigned char *uv_plane, unsigned int uv_pitch,
                                       unsigned int width, unsigned int height,
                                       unsigned int r_shift, unsigned int g_shift,
                                       unsigned int b_shift)
{
    unsigned int bx = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned int by = blockIdx.y * blockDim.y + threadIdx.y;
    unsigned int x = bx * 2, y = by * 2;
    int rs = 0, gs = 0, bs = 0, n = 0;

    if (x >= width || y >= height)
        return;
    for (unsigned int dy = 0; dy < 2; dy++) {
        if (y + dy >= height)
            break;
        const unsigned int *row = (const unsigned int *)(src + (y + dy) * src_pitch);
        for (unsigned int dx = 0; dx < 2; dx++) {
            if (x + dx >= width)
                break;
            unsigned int p = row[x + dx];
            int r = (p >> r_shift) & 0xff, g = (p >> g_shift) & 0xff, b = (p >> b_shift) & 0xff;
            y_plane[(y + dy) * y_pitch + x + dx] =
                (unsigned char)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
            rs += r;
            gs += g;
            bs += b;
            n++;
        }
    }
    rs = (rs + n / 2) / n;
    gs = (gs + n / 2) / n;
    bs = (bs + n / 2) / n;
    uv_plane[by * uv_pitch + bx * 2] =
        (unsigned char)(((-38 * rs - 74 * gs + 112 * bs + 128) >> 8) + 128);
    uv_plane[by * uv_pitch + bx * 2 + 1] =
        (unsigned char)(((112 * rs - 94 * gs - 18 * bs + 128) >> 8) + 128);
}
