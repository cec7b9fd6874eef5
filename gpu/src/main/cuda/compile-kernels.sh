#!/usr/bin/env bash
# Compiles the kernel files of this folder with nvcc (the build's nvcc profile calls it).
#   compile-kernels.sh ptx    NVCC SRC OUT   every kernel file to PTX for sm_80 and sm_90: a compile error fails
#   compile-kernels.sh fatbin NVCC SRC OUT   each kernel file to a fatbin with sm_80, sm_90 code and compute_90 PTX
# Outputs newer than every source are kept, so an unchanged tree costs nothing.
set -euo pipefail
mode="$1" nvcc="$2" src="$3" out="$4"
mkdir -p "$out"
flags=(-std=c++17 -O3 -lineinfo -I"$src")
newest_header="$(ls -t "$src"/*.cuh | head -1)"
for cu in "$src"/*.cu; do
  name="$(basename "$cu" .cu)"
  case "$mode" in
    ptx)
      for arch in 80 90; do
        target="$out/$name.sm_$arch.ptx"
        if [ -f "$target" ] && [ "$target" -nt "$cu" ] && [ "$target" -nt "$newest_header" ]; then continue; fi
        echo "nvcc: $name.cu -> PTX sm_$arch"
        "$nvcc" "${flags[@]}" -ptx -arch="sm_$arch" "$cu" -o "$target"
      done ;;
    fatbin)
      target="$out/$name.fatbin"
      if [ -f "$target" ] && [ "$target" -nt "$cu" ] && [ "$target" -nt "$newest_header" ]; then continue; fi
      echo "nvcc: $name.cu -> fatbin (sm_80, sm_90, compute_90)"
      "$nvcc" "${flags[@]}" -fatbin \
        -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
        -gencode arch=compute_90,code=compute_90 "$cu" -o "$target" ;;
    *) echo "compile-kernels.sh: unknown mode $mode" >&2; exit 2 ;;
  esac
done
