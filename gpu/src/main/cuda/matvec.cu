// Decode products: out[t·rows + r] = W.row(r) · x[t·cols ..] for the few tokens of a decode step, reading the
// weights in their stored format (GGUF blocks), never decoded into memory.
//
// Geometry (MatvecLaunch on the Java side): blocks of MATVEC_THREADS threads, one warp per weight row, so
// grid.x = ceil(rows / (MATVEC_THREADS / 32)); grid.y = ceil(n / MATVEC_TOKENS), each block taking up to
// MATVEC_TOKENS tokens so that a weight row is read once for all of them. No shared memory.
// Lane j of a warp reads element j of each 32-element group: for Q8_0 and Q4_0 that is one quantisation block
// per iteration, so the loads of a warp are contiguous.
#include "gantry_cuda.cuh"

#define MATVEC_THREADS 128
#define MATVEC_TOKENS 8

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
    for (int k = lane; k < cols; k += WARP) {
      const float wk = gantry_weight(w, FMT, row, cols, k);
      for (int t = 0; t < tokens; t++) acc[t] += wk * x[(long long)(t0 + t) * cols + k];
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
