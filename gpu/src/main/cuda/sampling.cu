// Sampling on the device: argmax (greedy: the highest logit, the lowest id on ties) and top-k (the k best
// tokens, ordered by value then id, as the engine's TokenRanking orders them). NaN ranks as −∞.
// Geometry (Kernels.argmax and Kernels.topK on the Java side): one block of SAMPLING_THREADS threads per row, grid.x = rows;
// static shared memory only.
#include "gantry_cuda.cuh"

#define SAMPLING_THREADS 256

// Whether (v, i) ranks before (bv, bi).
__device__ __forceinline__ bool ranks_before(float v, int i, float bv, int bi) {
  return v > bv || (v == bv && (unsigned)i < (unsigned)bi);  // bi = −1 (none) ranks last as unsigned
}

// The best (value, id) across the block; every thread gets it.
__device__ __forceinline__ void block_best(float& v, int& i, float* sv, int* si) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  for (int o = 16; o > 0; o >>= 1) {
    const float ov = __shfl_xor_sync(FULL_MASK, v, o);
    const int oi = __shfl_xor_sync(FULL_MASK, i, o);
    if (ranks_before(ov, oi, v, i)) { v = ov; i = oi; }
  }
  __syncthreads();
  if (lane == 0) { sv[warp] = v; si[warp] = i; }
  __syncthreads();
  v = lane < warps ? sv[lane] : -INFINITY;
  i = lane < warps ? si[lane] : -1;
  for (int o = 16; o > 0; o >>= 1) {
    const float ov = __shfl_xor_sync(FULL_MASK, v, o);
    const int oi = __shfl_xor_sync(FULL_MASK, i, o);
    if (ranks_before(ov, oi, v, i)) { v = ov; i = oi; }
  }
}

__device__ __forceinline__ float ranked_value(float v) { return v != v ? -INFINITY : v; }

GANTRY_KERNEL void argmax_rows(const float* logits, int vocab, int* outId, float* outValue) {
  __shared__ float sv[WARP];
  __shared__ int si[WARP];
  const float* row = logits + (long long)blockIdx.x * vocab;
  float bv = -INFINITY;
  int bi = -1;
  for (int t = threadIdx.x; t < vocab; t += blockDim.x) {
    const float v = ranked_value(row[t]);
    if (ranks_before(v, t, bv, bi)) { bv = v; bi = t; }
  }
  block_best(bv, bi, sv, si);
  if (threadIdx.x == 0) { outId[blockIdx.x] = bi; outValue[blockIdx.x] = bv; }
}

// k rounds: round r finds the best token ranking strictly after round r−1's, so no token is marked or moved.
GANTRY_KERNEL void topk_rows(const float* logits, int vocab, int k, int* outIds, float* outValues) {
  __shared__ float sv[WARP];
  __shared__ int si[WARP];
  const float* row = logits + (long long)blockIdx.x * vocab;
  float pv = INFINITY;
  int pi = -1;
  for (int r = 0; r < k; r++) {
    float bv = -INFINITY;
    int bi = -1;
    for (int t = threadIdx.x; t < vocab; t += blockDim.x) {
      const float v = ranked_value(row[t]);
      const bool after = r == 0 || v < pv || (v == pv && t > pi);
      if (after && ranks_before(v, t, bv, bi)) { bv = v; bi = t; }
    }
    block_best(bv, bi, sv, si);
    if (threadIdx.x == 0) {
      outIds[(long long)blockIdx.x * k + r] = bi;
      outValues[(long long)blockIdx.x * k + r] = bv;
    }
    pv = bv;
    pi = bi;
  }
}
