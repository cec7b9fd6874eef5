// Every kernel file in one harness: what a whole forward pass (CudaForward) launches, run on the CPU.
#include "harness_io.h"
#include "matvec.cu"
#include "matmul.cu"
#include "elementwise.cu"
#include "attention.cu"
#include "sampling.cu"
int main(int argc, char** argv) {
  return harness::main(argc, argv, {HARNESS_KERNEL(matvec_f32), HARNESS_KERNEL(matvec_f16),
      HARNESS_KERNEL(matvec_bf16), HARNESS_KERNEL(matvec_q8_0), HARNESS_KERNEL(matvec_q4_0),
      HARNESS_KERNEL(matmul_tiled), HARNESS_KERNEL(embed_rows), HARNESS_KERNEL(rms_norm), HARNESS_KERNEL(rope_rows),
      HARNESS_KERNEL(swiglu), HARNESS_KERNEL(add_in_place), HARNESS_KERNEL(kv_write),
      HARNESS_KERNEL(kv_move), HARNESS_KERNEL(gather_rows),
      HARNESS_KERNEL(copy_floats), HARNESS_KERNEL(paged_attention_decode), HARNESS_KERNEL(paged_attention_combine),
      HARNESS_KERNEL(tree_attention), HARNESS_KERNEL(argmax_rows), HARNESS_KERNEL(topk_rows)});
}
