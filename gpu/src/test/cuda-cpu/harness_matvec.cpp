// Decode products (matvec.cu) on the CPU.
#include "harness_io.h"
#include "matvec.cu"
int main(int argc, char** argv) {
  return harness::main(argc, argv, {HARNESS_KERNEL(matvec_f32), HARNESS_KERNEL(matvec_f16),
      HARNESS_KERNEL(matvec_bf16), HARNESS_KERNEL(matvec_q8_0), HARNESS_KERNEL(matvec_q4_0)});
}
