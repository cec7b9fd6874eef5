// Embedding, RMSNorm, RoPE, SwiGLU, residual add, KV writes, gathers and copies (elementwise.cu) on the CPU.
#include "harness_io.h"
#include "elementwise.cu"
int main(int argc, char** argv) {
  return harness::main(argc, argv, {HARNESS_KERNEL(embed_rows), HARNESS_KERNEL(rms_norm),
      HARNESS_KERNEL(rope_rows), HARNESS_KERNEL(swiglu), HARNESS_KERNEL(add_in_place), HARNESS_KERNEL(kv_write),
      HARNESS_KERNEL(kv_move),
      HARNESS_KERNEL(gather_rows), HARNESS_KERNEL(copy_floats)});
}
