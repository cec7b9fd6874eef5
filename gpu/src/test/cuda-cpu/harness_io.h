// The CPU harness's side of the launch protocol (HarnessLauncher on the Java side): a test writes the device
// buffers and a list of kernel launches (name, grid, block, dynamic shared bytes, arguments in the kernel's
// parameter order), the harness runs them in order on HIP-CPU and writes every buffer back. The Java code
// that records the launches is the same that the JCuda launcher runs on a GPU, so geometry, shared-memory
// sizes and argument order are exercised here exactly as they are there.
//
// Input (little-endian): "GHAR", int32 version (1), int32 buffer count, per buffer int64 bytes + bytes,
// int32 launch count, per launch: int32 name length + name, int32 grid xyz, block xyz, shared bytes,
// int32 argument count, per argument int32 tag (0 buffer: int32 index, int64 byte offset; 1 int32; 2 float32;
// 3 int64).
// Output: int32 buffer count, per buffer int64 bytes + bytes.
#pragma once
#include "cuda_on_cpu.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace harness {

struct Arg { int tag; int32_t i; float f; int64_t l; };
struct Launch { std::string name; dim3 grid, block; size_t shared; std::vector<Arg> args; };

inline std::vector<void*>& buffers() { static std::vector<void*> b; return b; }
inline std::vector<int64_t>& sizes() { static std::vector<int64_t> s; return s; }

[[noreturn]] inline void fail(const std::string& m) { std::fprintf(stderr, "harness: %s\n", m.c_str()); std::exit(2); }

template <typename T> T read(std::ifstream& in) {
  T v; in.read(reinterpret_cast<char*>(&v), sizeof v);
  if (!in) fail("truncated input");
  return v;
}

template <typename T> T arg(const Launch& l, size_t index) {
  if (index >= l.args.size()) fail(l.name + ": too few arguments");
  const Arg& a = l.args[index];
  if constexpr (std::is_pointer_v<T>) {
    if (a.tag != 0) fail(l.name + ": argument " + std::to_string(index) + " should be a buffer");
    return reinterpret_cast<T>(static_cast<char*>(buffers().at(a.i)) + a.l);
  } else if constexpr (std::is_same_v<T, float>) {
    if (a.tag != 2) fail(l.name + ": argument " + std::to_string(index) + " should be a float");
    return a.f;
  } else if constexpr (std::is_same_v<T, long long>) {
    if (a.tag != 3) fail(l.name + ": argument " + std::to_string(index) + " should be an int64");
    return a.l;
  } else {
    if (a.tag != 1) fail(l.name + ": argument " + std::to_string(index) + " should be an int32");
    return a.i;
  }
}

using Runner = void (*)(const Launch&);

// Launches kernel K with the recorded arguments converted to its parameter types, in order.
template <auto K, typename... P, size_t... I>
void launch_with(const Launch& l, void (*)(P...), std::index_sequence<I...>) {
  if (l.args.size() != sizeof...(P)) fail(l.name + ": " + std::to_string(l.args.size()) + " arguments, kernel takes "
                                          + std::to_string(sizeof...(P)));
  auto args = std::make_tuple(arg<P>(l, I)...);
  std::apply([&](auto... a) { hipLaunchKernelGGL(K, l.grid, l.block, l.shared, nullptr, a...); }, args);
}

template <auto K, typename... P> void launch_kernel(const Launch& l, void (*f)(P...)) {
  launch_with<K>(l, f, std::index_sequence_for<P...>{});
}

#define HARNESS_KERNEL(k) {#k, [](const harness::Launch& l) { harness::launch_kernel<k>(l, k); }}

inline int main(int argc, char** argv, const std::map<std::string, Runner>& kernels) {
  if (argc != 3) fail("usage: harness INPUT OUTPUT");
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) fail(std::string("cannot read ") + argv[1]);
  char magic[4]; in.read(magic, 4);
  if (std::memcmp(magic, "GHAR", 4) != 0 || read<int32_t>(in) != 1) fail("not a harness input (version 1)");
  const int32_t nb = read<int32_t>(in);
  for (int b = 0; b < nb; b++) {
    const int64_t bytes = read<int64_t>(in);
    std::vector<char> host(bytes);
    in.read(host.data(), bytes);
    void* d = nullptr;
    hipMalloc(&d, bytes > 0 ? bytes : 1);
    if (bytes > 0) hipMemcpy(d, host.data(), bytes, hipMemcpyHostToDevice);
    buffers().push_back(d);
    sizes().push_back(bytes);
  }
  const int32_t nl = read<int32_t>(in);
  for (int i = 0; i < nl; i++) {
    Launch l;
    l.name.resize(read<int32_t>(in));
    in.read(l.name.data(), l.name.size());
    int32_t g[7];
    for (int& v : g) v = read<int32_t>(in);
    l.grid = dim3(g[0], g[1], g[2]);
    l.block = dim3(g[3], g[4], g[5]);
    l.shared = g[6];
    const int32_t na = read<int32_t>(in);
    for (int a = 0; a < na; a++) {
      Arg x{read<int32_t>(in), 0, 0.f, 0};
      if (x.tag == 0) { x.i = read<int32_t>(in); x.l = read<int64_t>(in); }
      else if (x.tag == 1) x.i = read<int32_t>(in);
      else if (x.tag == 2) x.f = read<float>(in);
      else if (x.tag == 3) x.l = read<int64_t>(in);
      else fail("unknown argument tag");
      l.args.push_back(x);
    }
    auto k = kernels.find(l.name);
    if (k == kernels.end()) fail("this harness has no kernel " + l.name);
    k->second(l);
    if (hipDeviceSynchronize() != hipSuccess) fail(l.name + ": launch failed");
  }
  std::ofstream out(argv[2], std::ios::binary);
  const int32_t count = static_cast<int32_t>(buffers().size());
  out.write(reinterpret_cast<const char*>(&count), 4);
  for (size_t b = 0; b < buffers().size(); b++) {
    std::vector<char> host(sizes()[b]);
    if (sizes()[b] > 0) hipMemcpy(host.data(), buffers()[b], sizes()[b], hipMemcpyDeviceToHost);
    out.write(reinterpret_cast<const char*>(&sizes()[b]), 8);
    out.write(host.data(), host.size());
  }
  return out ? 0 : 3;
}
}  // namespace harness
