// Argmax and top-k (sampling.cu) on the CPU.
#include "harness_io.h"
#include "sampling.cu"
int main(int argc, char** argv) {
  return harness::main(argc, argv, {HARNESS_KERNEL(argmax_rows), HARNESS_KERNEL(topk_rows)});
}
