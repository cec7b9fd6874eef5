// Attention over the paged KV cache. One layer's cache is two float arrays (keys, values) laid out
// [physical slot][kvHead][headDim]; physical slot = blockTable[slot / blockSize] · blockSize + slot % blockSize.
// Grouped-query attention: query head h reads KV head h / (heads / kvHeads).
//
// Decode (one query per sequence, a batch of sequences in one launch, split-K over long contexts):
//   paged_attention_decode  grid (heads, splits, seqs), block ATTN_THREADS; split s takes slots
//                           [s·chunk, min(len, (s+1)·chunk)) and writes its unnormalised output, max and sum;
//   paged_attention_combine grid (heads, seqs), block ATTN_THREADS; merges the splits (log-sum-exp).
// Tree (a draft tree's nodes, or a causal prefill chunk, of one sequence):
//   tree_attention          grid (heads, queries), block ATTN_THREADS; online softmax over chunks of slots.
// Dynamic shared memory sizes are computed by Kernels on the Java side; headDim ≤ ATTN_THREADS.
#include "gantry_cuda.cuh"

#define ATTN_THREADS 128

__device__ __forceinline__ long long kv_offset(const int* table, int slot, int blockSize, int kvDim, int kvHead,
                                               int headDim) {
  const long long phys = (long long)table[slot / blockSize] * blockSize + slot % blockSize;
  return phys * kvDim + (long long)kvHead * headDim;
}

// Scores of slots [s0, s1) against the query in shared memory, one warp per slot, into scores[slot − s0].
// Every warp runs the same number of iterations (block-converged shuffles).
__device__ __forceinline__ void slot_scores(const float* q, const float* kCache, const int* table, int s0,
                                            int s1, int blockSize, int kvDim, int kvHead, int headDim,
                                            float scale, float* scores) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  for (int base = s0; base < s1; base += warps) {
    const int s = base + warp;
    float dot = 0.f;
    if (s < s1) {
      const float* key = kCache + kv_offset(table, s, blockSize, kvDim, kvHead, headDim);
      for (int d = lane; d < headDim; d += WARP) dot += q[d] * key[d];
    }
    dot = warp_sum(dot);
    if (lane == 0 && s < s1) scores[s - s0] = dot * scale;
  }
}

// Shared: headDim (query) + chunk (scores) + 32 (reductions) floats.
GANTRY_KERNEL void paged_attention_decode(const float* q, const float* kCache, const float* vCache,
                                          const int* blockTables, const int* seqLens, int maxBlocks,
                                          int blockSize, int heads, int kvHeads, int headDim, float scale,
                                          int chunk, float* partOut, float* partMax, float* partSum) {
  CUDA_DYNAMIC_SHARED(float, smem);
  float* qs = smem;
  float* scores = smem + headDim;
  float* scratch = scores + chunk;
  const int h = blockIdx.x, split = blockIdx.y, seq = blockIdx.z, splits = gridDim.y;
  const int kvHead = h / (heads / kvHeads), kvDim = kvHeads * headDim;
  const int len = seqLens[seq];
  const int s0 = split * chunk, s1 = min(len, s0 + chunk);
  const int* table = blockTables + (long long)seq * maxBlocks;
  const long long part = ((long long)seq * heads + h) * splits + split;
  for (int d = threadIdx.x; d < headDim; d += blockDim.x) qs[d] = q[((long long)seq * heads + h) * headDim + d];
  __syncthreads();
  slot_scores(qs, kCache, table, s0, s1, blockSize, kvDim, kvHead, headDim, scale, scores);
  __syncthreads();
  float m = -INFINITY;
  for (int i = threadIdx.x; i < s1 - s0; i += blockDim.x) m = fmaxf(m, scores[i]);
  m = block_max(m, scratch);
  float l = 0.f;
  for (int i = threadIdx.x; i < s1 - s0; i += blockDim.x) {
    const float p = expf(scores[i] - m);
    scores[i] = p;
    l += p;
  }
  l = block_sum(l, scratch);  // its barriers also publish the probabilities
  if (threadIdx.x < headDim) {
    float acc = 0.f;
    for (int s = s0; s < s1; s++) {
      acc += scores[s - s0] * vCache[kv_offset(table, s, blockSize, kvDim, kvHead, headDim) + threadIdx.x];
    }
    partOut[part * headDim + threadIdx.x] = acc;
  }
  if (threadIdx.x == 0) {
    partMax[part] = m;  // −∞ for a split past the end: it weighs nothing in the combine
    partSum[part] = l;
  }
}

// out[seq][h·headDim + d] = Σ_s e^(m_s − M) o_s[d] / Σ_s e^(m_s − M) l_s. No shared memory.
GANTRY_KERNEL void paged_attention_combine(const float* partOut, const float* partMax, const float* partSum,
                                           int splits, int heads, int headDim, float* out) {
  const int h = blockIdx.x, seq = blockIdx.y;
  const long long part0 = ((long long)seq * heads + h) * splits;
  float mx = -INFINITY;
  for (int s = 0; s < splits; s++) mx = fmaxf(mx, partMax[part0 + s]);
  if (threadIdx.x < headDim) {
    float num = 0.f, den = 0.f;
    for (int s = 0; s < splits; s++) {
      const float m = partMax[part0 + s];
      if (m == -INFINITY) continue;
      const float w = expf(m - mx);
      num += w * partOut[(part0 + s) * headDim + threadIdx.x];
      den += w * partSum[part0 + s];
    }
    out[((long long)seq * heads + h) * headDim + threadIdx.x] = num / den;
  }
}

// Query i (row i of q, at slot baseSlot + i) sees every slot before baseSlot and, among the new nodes, itself
// and its ancestors: parents[j] < j, −1 for a root. causal != 0 ignores parents (a prefill chunk: node j ≤ i).
// Shared: headDim (query) + queries (visibility, as floats) + TREE_CHUNK (scores) + 32 (reductions) floats.
#define TREE_CHUNK 256
GANTRY_KERNEL void tree_attention(const float* q, const float* kCache, const float* vCache, const int* blockTable,
                                  int baseSlot, int queries, const int* parents, int causal, int blockSize,
                                  int heads, int kvHeads, int headDim, float scale, float* out) {
  CUDA_DYNAMIC_SHARED(float, smem);
  float* qs = smem;
  float* visible = qs + headDim;
  float* scores = visible + queries;
  float* scratch = scores + TREE_CHUNK;
  const int h = blockIdx.x, i = blockIdx.y;
  const int kvHead = h / (heads / kvHeads), kvDim = kvHeads * headDim;
  for (int d = threadIdx.x; d < headDim; d += blockDim.x) qs[d] = q[((long long)i * heads + h) * headDim + d];
  for (int j = threadIdx.x; j < queries; j += blockDim.x) visible[j] = (causal && j <= i) ? 1.f : 0.f;
  __syncthreads();
  if (!causal && threadIdx.x == 0) {
    for (int n = i; n >= 0; n = parents[n]) visible[n] = 1.f;
  }
  __syncthreads();
  const int end = baseSlot + i + 1;  // nothing after the query's own slot is visible
  float m = -INFINITY, l = 0.f, acc = 0.f;
  for (int c0 = 0; c0 < end; c0 += TREE_CHUNK) {
    const int c1 = min(end, c0 + TREE_CHUNK);
    slot_scores(qs, kCache, blockTable, c0, c1, blockSize, kvDim, kvHead, headDim, scale, scores);
    __syncthreads();
    float cm = -INFINITY;
    for (int s = c0 + threadIdx.x; s < c1; s += blockDim.x) {
      if (s >= baseSlot && visible[s - baseSlot] == 0.f) scores[s - c0] = -INFINITY;
      cm = fmaxf(cm, scores[s - c0]);
    }
    cm = block_max(cm, scratch);
    if (cm != -INFINITY) {  // the same value in every thread: a block-uniform branch
      const float nm = fmaxf(m, cm);
      const float rescale = expf(m - nm);  // 0 the first time (m = −∞)
      float ls = 0.f;
      for (int s = threadIdx.x; s < c1 - c0; s += blockDim.x) {
        const float p = expf(scores[s] - nm);
        scores[s] = p;
        ls += p;
      }
      ls = block_sum(ls, scratch);
      l = l * rescale + ls;
      m = nm;
      if (threadIdx.x < headDim) {
        acc *= rescale;
        for (int s = c0; s < c1; s++) {
          const float p = scores[s - c0];
          if (p != 0.f) acc += p * vCache[kv_offset(blockTable, s, blockSize, kvDim, kvHead, headDim) + threadIdx.x];
        }
      }
    }
    __syncthreads();  // scores are rewritten by the next chunk
  }
  if (threadIdx.x < headDim) out[((long long)i * heads + h) * headDim + threadIdx.x] = acc / l;
}
