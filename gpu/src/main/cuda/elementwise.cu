// The light operations of a forward pass, on rows of activations that stay in device memory: token
// embedding, RMSNorm, rotary position embedding, SwiGLU, residual add, KV-cache writes and row gathers.
// Geometry for each is in Kernels on the Java side; blocks are ELEMENTWISE_THREADS threads.
#include "gantry_cuda.cuh"

#define ELEMENTWISE_THREADS 256

// out[r·cols + k] = table.row(tokens[r])[k]: grid.x = rows. Decodes exactly as the engine's dequantize.
GANTRY_KERNEL void embed_rows(const uint8_t* table, int fmt, int cols, const int* tokens, float* out) {
  const long long row = tokens[blockIdx.x];
  for (int k = threadIdx.x; k < cols; k += blockDim.x) {
    out[(long long)blockIdx.x * cols + k] = gantry_weight(table, fmt, row, cols, k);
  }
}

// out = x / sqrt(mean(x²) + eps) · weight, one block per row: grid.x = rows. Shared: 32 floats (static).
GANTRY_KERNEL void rms_norm(const float* x, const float* weight, float eps, int dim, float* out) {
  __shared__ float scratch[WARP];
  const float* xr = x + (long long)blockIdx.x * dim;
  float* o = out + (long long)blockIdx.x * dim;
  float ss = 0.f;
  for (int i = threadIdx.x; i < dim; i += blockDim.x) ss += xr[i] * xr[i];
  ss = block_sum(ss, scratch);
  // As the engine: the mean in float, the reciprocal square root in double.
  const float scale = (float)(1.0 / sqrt((double)(ss / dim + eps)));
  for (int i = threadIdx.x; i < dim; i += blockDim.x) o[i] = xr[i] * scale * weight[i];
}

// Rotates pairs (2i, 2i+1), i < pairs, of `heads` heads of `headDim` at the start of each row (row stride
// `stride`), by the angle of the row's position: cos and sin tables are [position][pairs], computed on the
// host exactly as the engine's RopeTable does. grid.x = rows.
GANTRY_KERNEL void rope_rows(float* x, int stride, const int* positions, const float* cosTable,
                             const float* sinTable, int heads, int headDim, int pairs) {
  float* xr = x + (long long)blockIdx.x * stride;
  const long long p = (long long)positions[blockIdx.x] * pairs;
  for (int e = threadIdx.x; e < heads * pairs; e += blockDim.x) {
    const int h = e / pairs, i = e % pairs;
    const int j = h * headDim + 2 * i;
    const float a = xr[j], b = xr[j + 1], c = cosTable[p + i], s = sinTable[p + i];
    xr[j] = a * c - b * s;
    xr[j + 1] = a * s + b * c;
  }
}

// gate = silu(gate) · up over `total` elements: grid.x = ceil(total / threads).
GANTRY_KERNEL void swiglu(float* gate, const float* up, int total) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < total) {
    const float g = gate[i];
    gate[i] = g / (1.f + expf(-g)) * up[i];
  }
}

// acc += delta over `total` elements: grid.x = ceil(total / threads).
GANTRY_KERNEL void add_in_place(float* acc, const float* delta, int total) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < total) acc[i] += delta[i];
}

// Writes row r's keys and values (kvDim floats each) into physical slot slots[r] of one layer's caches,
// laid out [slot][kvHead][headDim] (a block of the paged cache is blockSize consecutive slots). grid.x = rows.
GANTRY_KERNEL void kv_write(const float* k, const float* v, int kvDim, const int* slots, float* kCache,
                            float* vCache) {
  const long long dst = (long long)slots[blockIdx.x] * kvDim, src = (long long)blockIdx.x * kvDim;
  for (int e = threadIdx.x; e < kvDim; e += blockDim.x) {
    kCache[dst + e] = k[src + e];
    vCache[dst + e] = v[src + e];
  }
}

// Moves KV rows within one layer's caches, in order: slot to[r] takes slot from[r]'s keys and values, row after
// row, so a later row may read a slot an earlier one has just vacated (keeping an accepted draft path: node
// slots move down to consecutive ones). One block: grid.x = 1.
GANTRY_KERNEL void kv_move(float* kCache, float* vCache, int kvDim, const int* from, const int* to, int rows) {
  for (int r = 0; r < rows; r++) {
    const long long src = (long long)from[r] * kvDim, dst = (long long)to[r] * kvDim;
    for (int e = threadIdx.x; e < kvDim; e += blockDim.x) {
      kCache[dst + e] = kCache[src + e];
      vCache[dst + e] = vCache[src + e];
    }
    __syncthreads();
  }
}

// dst[j·width ..] = src[rows[j]·width ..]: grid.x = rows gathered.
GANTRY_KERNEL void gather_rows(const float* src, const int* rows, int width, float* dst) {
  const long long from = (long long)rows[blockIdx.x] * width, to = (long long)blockIdx.x * width;
  for (int e = threadIdx.x; e < width; e += blockDim.x) dst[to + e] = src[from + e];
}

// A device-to-device copy of `count` floats: the bandwidth probe of run-on-gpu.sh reads and writes with it.
GANTRY_KERNEL void copy_floats(const float* src, float* dst, long long count) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) dst[i] = src[i];
}
