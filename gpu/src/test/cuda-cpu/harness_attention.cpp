// Paged decode attention with split-K, and tree-masked attention (attention.cu), on the CPU.
#include "harness_io.h"
#include "attention.cu"
int main(int argc, char** argv) {
  return harness::main(argc, argv, {HARNESS_KERNEL(paged_attention_decode),
      HARNESS_KERNEL(paged_attention_combine), HARNESS_KERNEL(tree_attention)});
}
