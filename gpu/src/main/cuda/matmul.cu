// Prefill products: out[t·rows + r] = W.row(r) · x[t·cols ..] for many tokens, as tiles of 32 weight rows by
// 32 tokens. Each block decodes its weight tile once per 32 columns into shared memory and reuses it for all
// 32 tokens.
//
// Two kernels with the same arguments and geometry (Kernels.matmul on the Java side): grid.x = ceil(rows / 32),
// grid.y = ceil(n / 32), blocks of 256 threads, static shared memory only.
//  - matmul_tiled: plain float arithmetic. It runs everywhere, the CPU harness included.
//  - matmul_tc: the tensor-core kernel (wmma, f16 inputs, f32 accumulation), compiled by nvcc only: HIP-CPU
//    has no tensor cores, so the harness runs matmul_tiled in its place and the build compile-checks this one.
#include "gantry_cuda.cuh"

#define MM_TILE 32
#define MM_THREADS 256

GANTRY_KERNEL void matmul_tiled(const uint8_t* w, int fmt, int rows, int cols, const float* x, int n, float* out) {
  __shared__ float ws[MM_TILE][MM_TILE + 1];  // [row][k]
  __shared__ float xs[MM_TILE][MM_TILE + 1];  // [token][k]
  const int tx = threadIdx.x & 31;            // the row within the tile
  const int ty = threadIdx.x >> 5;            // tokens ty, ty+8, ty+16, ty+24
  const int r0 = blockIdx.x * MM_TILE, t0 = blockIdx.y * MM_TILE;
  float acc[4] = {0.f, 0.f, 0.f, 0.f};
  for (int k0 = 0; k0 < cols; k0 += MM_TILE) {
    for (int i = threadIdx.x; i < MM_TILE * MM_TILE; i += MM_THREADS) {
      const int a = i / MM_TILE, k = i % MM_TILE;  // consecutive threads take consecutive columns
      ws[a][k] = (r0 + a < rows && k0 + k < cols) ? gantry_weight(w, fmt, r0 + a, cols, k0 + k) : 0.f;
      xs[a][k] = (t0 + a < n && k0 + k < cols) ? x[(long long)(t0 + a) * cols + k0 + k] : 0.f;
    }
    __syncthreads();
    for (int k = 0; k < MM_TILE; k++) {
      const float wk = ws[tx][k];
      for (int j = 0; j < 4; j++) acc[j] += wk * xs[ty + 8 * j][k];
    }
    __syncthreads();
  }
  for (int j = 0; j < 4; j++) {
    const int r = r0 + tx, t = t0 + ty + 8 * j;
    if (r < rows && t < n) out[(long long)t * rows + r] = acc[j];
  }
}

#ifdef __CUDACC__
#include <mma.h>

// Four warps, each one 16×16 quarter of the 32×32 output tile; k in steps of 16 through f16 fragments.
GANTRY_KERNEL void matmul_tc(const uint8_t* w, int fmt, int rows, int cols, const float* x, int n, float* out) {
  using namespace nvcuda;
  __shared__ __align__(32) __half wh[MM_TILE][MM_TILE + 8];  // [row][k]
  __shared__ __align__(32) __half xh[MM_TILE][MM_TILE + 8];  // [token][k]: B (k × token) read column-major
  __shared__ __align__(32) float cs[MM_TILE][MM_TILE + 4];   // [token][row]
  const int warp = threadIdx.x >> 5;
  const int wr = (warp & 1) * 16, wt = (warp >> 1) * 16;
  const int r0 = blockIdx.x * MM_TILE, t0 = blockIdx.y * MM_TILE;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
  wmma::fill_fragment(c, 0.f);
  for (int k0 = 0; k0 < cols; k0 += MM_TILE) {
    for (int i = threadIdx.x; i < MM_TILE * MM_TILE; i += MM_THREADS) {
      const int a = i / MM_TILE, k = i % MM_TILE;
      wh[a][k] = __float2half((r0 + a < rows && k0 + k < cols) ? gantry_weight(w, fmt, r0 + a, cols, k0 + k) : 0.f);
      xh[a][k] = __float2half((t0 + a < n && k0 + k < cols) ? x[(long long)(t0 + a) * cols + k0 + k] : 0.f);
    }
    __syncthreads();
    if (warp < 4) {
      for (int kk = 0; kk < MM_TILE; kk += 16) {
        wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa;
        wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fb;
        wmma::load_matrix_sync(fa, &wh[wr][kk], MM_TILE + 8);
        wmma::load_matrix_sync(fb, &xh[wt][kk], MM_TILE + 8);
        wmma::mma_sync(c, fa, fb, c);
      }
    }
    __syncthreads();
  }
  // C (row × token) stored column-major is cs[token][row].
  if (warp < 4) wmma::store_matrix_sync(&cs[wt][wr], c, MM_TILE + 4, wmma::mem_col_major);
  __syncthreads();
  for (int i = threadIdx.x; i < MM_TILE * MM_TILE; i += MM_THREADS) {
    const int t = i / MM_TILE, r = i % MM_TILE;
    if (r0 + r < rows && t0 + t < n) out[(long long)(t0 + t) * rows + r0 + r] = cs[t][r];
  }
}
#endif
