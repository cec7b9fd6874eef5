// Shared by every kernel file: the few definitions that differ between nvcc and the CPU harness
// (../shared/cuda-cpu, where cuda_on_cpu.h is included first), and block-wide reductions.
//
// Rules every kernel here keeps, so that the same source runs on the CPU:
//  - no <<< >>> launches (the Java side launches through the driver API, the harness with hipLaunchKernelGGL);
//  - every thread of a block reaches every warp collective and __syncthreads() (no early return before one);
//  - kernels are extern "C", so their names in the fatbin are the plain names the Java launcher looks up.
#pragma once

#ifdef __CUDACC__
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <stdint.h>
#define CUDA_DYNAMIC_SHARED(type, var) extern __shared__ type var[]
#define GANTRY_KERNEL extern "C" __global__
#else
#include <cstring>
#define GANTRY_KERNEL extern "C" __global__
// HIP-CPU has no bit casts; these are what nvcc's intrinsics do.
static inline float __uint_as_float(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
static inline int min(int a, int b) { return a < b ? a : b; }
static inline int max(int a, int b) { return a > b ? a : b; }
#endif

#define FULL_MASK 0xffffffffu
#define WARP 32

// IEEE half (as GGUF stores it, little-endian) to float, by bits, so both builds decode identically.
__device__ __forceinline__ float gantry_half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t man = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do { e++; man <<= 1; } while ((man & 0x400u) == 0);
      bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3ffu) << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (man << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
  }
  return __uint_as_float(bits);
}

__device__ __forceinline__ float gantry_bf16_to_float(uint16_t b) { return __uint_as_float((uint32_t)b << 16); }

__device__ __forceinline__ uint16_t gantry_load_u16(const uint8_t* p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

// Sum across the 32 lanes of a warp; every lane gets the total.
__device__ __forceinline__ float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
  return v;
}

__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
  return v;
}

// Block-wide sum; every thread gets the total. scratch: at least blockDim.x / 32 floats of shared memory.
// blockDim.x must be a multiple of 32.
__device__ __forceinline__ float block_sum(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_sum(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < warps ? scratch[lane] : 0.f;
  return warp_sum(v);
}

__device__ __forceinline__ float block_max(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_max(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < warps ? scratch[lane] : -INFINITY;
  return warp_max(v);
}

// Tensor formats, numbered as ggml's type ids (GgmlType.id() on the Java side).
#define FMT_F32 0
#define FMT_F16 1
#define FMT_Q4_0 2
#define FMT_Q8_0 8
#define FMT_BF16 30

// One weight element, decoded: element k of row r of a [rows, cols] tensor in format fmt.
__device__ __forceinline__ float gantry_weight(const uint8_t* w, int fmt, long long row, int cols, int k) {
  switch (fmt) {
    case FMT_F32: return reinterpret_cast<const float*>(w)[row * cols + k];
    case FMT_F16: return gantry_half_to_float(gantry_load_u16(w + 2 * (row * cols + k)));
    case FMT_BF16: return gantry_bf16_to_float(gantry_load_u16(w + 2 * (row * cols + k)));
    case FMT_Q8_0: {
      const uint8_t* b = w + ((row * cols + k) / 32) * 34;
      return gantry_half_to_float(gantry_load_u16(b)) * (float)(int8_t)b[2 + (k & 31)];
    }
    default: {  // FMT_Q4_0
      const uint8_t* b = w + ((row * cols + k) / 32) * 18;
      const int j = k & 31;
      const int q = j < 16 ? (b[2 + j] & 0xf) : (b[2 + j - 16] >> 4);
      return gantry_half_to_float(gantry_load_u16(b)) * (float)(q - 8);
    }
  }
}
