// Decode products: out[t·rows + r] = W.row(r) · x[t·cols ..] for the few tokens of a decode step, reading the
// weights in their stored format (GGUF blocks), never decoded into memory.
//
// Geometry (Kernels.matvec on the Java side): blocks of MATVEC_THREADS threads, one warp per weight row, so
// grid.x = ceil(rows / (MATVEC_THREADS / 32)); grid.y = ceil(n / MATVEC_TOKENS), each block taking up to
// MATVEC_TOKENS tokens so that a weight row is read once for all of them. No shared memory.
#include "gantry_cuda.cuh"

#define MATVEC_THREADS 128
#define MATVEC_TOKENS 8

// Quantised rows: lane j takes blocks j, j+32, ... whole (scale, then its 32 quants), as the engine's dot product
// does; a warp's loads at each step cover 32 consecutive blocks.
template <int FMT>
__device__ __forceinline__ void quant_row(const uint8_t* __restrict__ w, int row, int cols, int lane,
                                          const float* __restrict__ x, int t0, int tokens, float* acc) {
  const int blocks = cols / 32;
  const int blockBytes = FMT == FMT_Q8_0 ? 34 : 18;
  const uint8_t* base = w + (long long)row * blocks * blockBytes;
  for (int b = lane; b < blocks; b += WARP) {
    const uint8_t* blk = base + (long long)b * blockBytes;
    const float d = gantry_half_to_float(gantry_load_u16(blk));
    for (int t = 0; t < tokens; t++) {
      const float* xb = x + (long long)(t0 + t) * cols + b * 32;
      float s = 0.f;
      if (FMT == FMT_Q8_0) {
        for (int j = 0; j < 32; j++) s += (float)(int8_t)blk[2 + j] * xb[j];
      } else {
        for (int j = 0; j < 16; j++) {
          const int q = blk[2 + j];
          s += (float)((q & 0xf) - 8) * xb[j] + (float)((q >> 4) - 8) * xb[j + 16];
        }
      }
      acc[t] += d * s;
    }
  }
}

// Plain rows (F32, F16, BF16): lane j takes runs of 8 elements j·8, j·8 + 256, ..., then the tail one by one.
template <int FMT>
__device__ __forceinline__ void plain_row(const uint8_t* __restrict__ w, int row, int cols, int lane,
                                          const float* __restrict__ x, int t0, int tokens, float* acc) {
  const int runs = cols / 8;
  for (int r = lane; r < runs; r += WARP) {
    for (int e = 0; e < 8; e++) {
      const int k = r * 8 + e;
      const float wk = gantry_weight(w, FMT, row, cols, k);
      for (int t = 0; t < tokens; t++) acc[t] += wk * x[(long long)(t0 + t) * cols + k];
    }
  }
  for (int k = runs * 8 + lane; k < cols; k += WARP) {
    const float wk = gantry_weight(w, FMT, row, cols, k);
    for (int t = 0; t < tokens; t++) acc[t] += wk * x[(long long)(t0 + t) * cols + k];
  }
}

template <int FMT>
__device__ __forceinline__ void matvec_rows(const uint8_t* __restrict__ w, int rows, int cols,
                                            const float* __restrict__ x, int n, float* __restrict__ out) {
  const int lane = threadIdx.x & 31;
  const int row = blockIdx.x * (MATVEC_THREADS / WARP) + (threadIdx.x >> 5);
  const int t0 = blockIdx.y * MATVEC_TOKENS;
  const int tokens = min(MATVEC_TOKENS, n - t0);
  float acc[MATVEC_TOKENS];
  for (int t = 0; t < MATVEC_TOKENS; t++) acc[t] = 0.f;
  if (row < rows) {
    if (FMT == FMT_Q8_0 || FMT == FMT_Q4_0) {
      quant_row<FMT>(w, row, cols, lane, x, t0, tokens, acc);
    } else {
      plain_row<FMT>(w, row, cols, lane, x, t0, tokens, acc);
    }
  }
  // Every lane of every warp takes part in the reductions, rows past the end included (converged collectives).
  for (int t = 0; t < MATVEC_TOKENS; t++) {
    const float s = warp_sum(acc[t]);
    if (lane == 0 && row < rows && t < tokens) out[(long long)(t0 + t) * rows + row] = s;
  }
}

GANTRY_KERNEL void matvec_f32(const uint8_t* w, int rows, int cols, const float* x, int n, float* out) {
  matvec_rows<FMT_F32>(w, rows, cols, x, n, out);
}
GANTRY_KERNEL void matvec_f16(const uint8_t* w, int rows, int cols, const float* x, int n, float* out) {
  matvec_rows<FMT_F16>(w, rows, cols, x, n, out);
}
GANTRY_KERNEL void matvec_bf16(const uint8_t* w, int rows, int cols, const float* x, int n, float* out) {
  matvec_rows<FMT_BF16>(w, rows, cols, x, n, out);
}
GANTRY_KERNEL void matvec_q8_0(const uint8_t* w, int rows, int cols, const float* x, int n, float* out) {
  matvec_rows<FMT_Q8_0>(w, rows, cols, x, n, out);
}
GANTRY_KERNEL void matvec_q4_0(const uint8_t* w, int rows, int cols, const float* x, int n, float* out) {
  matvec_rows<FMT_Q4_0>(w, rows, cols, x, n, out);
}
