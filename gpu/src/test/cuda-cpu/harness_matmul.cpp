// Prefill products (matmul.cu) on the CPU: the plain tiled kernel. The tensor-core kernel (matmul_tc) exists
// only under nvcc; the build compile-checks it to PTX and it runs on a GPU only.
#include "harness_io.h"
#include "matmul.cu"
int main(int argc, char** argv) {
  return harness::main(argc, argv, {HARNESS_KERNEL(matmul_tiled)});
}
