#!/usr/bin/env bash
# Runs the GPU tests and the decode benchmark on a machine with an NVIDIA GPU but no Java, Maven or toolkit.
#
#   gpu/run-on-gpu.sh pack [DIR]   here, with JDK 25, Maven and nvcc: builds the jars (the kernels compiled to
#                                  fatbins by nvcc), a trimmed Java runtime (jlink), the natives (JCuda's jar),
#                                  the test classes and stories260K into DIR (default .gantry/gpu-pack), and
#                                  checks that DIR plus the repository stays under 64 MiB
#   gpu/run-on-gpu.sh run [DIR]    on the GPU machine, from a copy of the repository with DIR beside it: runs the
#                                  GPU tests (printing each test that ran, passed or was skipped), synthesizes
#                                  the TinyLlama-1.1B-shaped models (Q8_0 and F16) there, benchmarks decode on
#                                  them and prints tokens/s next to the HBM floor (weight bytes per token over
#                                  the copy bandwidth the benchmark measures on the device itself)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-}"
dir="${2:-$root/.gantry/gpu-pack}"
limit_bytes=$((64 * 1024 * 1024))

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do
    if [ -n "$c" ] && [ -x "$c/bin/jlink" ] && "$c/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$c"
      return 0
    fi
  done
  echo "run-on-gpu.sh: packing needs a JDK 25 with jlink; set JAVA_HOME" >&2
  return 1
}

pack() {
  export JAVA_HOME="$(find_jdk)"
  command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/bin/nvcc ] \
    || echo "run-on-gpu.sh: warning: no nvcc here, so the jar will have no kernels and the GPU tests will skip" >&2
  echo "== building the jars (kernels compiled by nvcc)"
  (cd "$root" && ./mvnw -B -q ${GANTRY_MVN_FLAGS:-} package -DskipTests -pl gpu,plugins/baseline -am)
  ls "$root"/gpu/target/classes/dev/gantry/gpu/kernels/*.fatbin >/dev/null 2>&1 \
    || echo "run-on-gpu.sh: warning: gpu/target/classes has no fatbin" >&2

  rm -rf "$dir"
  mkdir -p "$dir/lib" "$dir/test-lib" "$dir/shared/models" "$dir/shared/oracle"
  for m in sdk-api engine gpu plugins/baseline; do
    find "$root/$m/target" -maxdepth 1 -name 'gantry-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' \
      ! -name '*-tests.jar' -exec cp {} "$dir/lib/" \;
  done
  echo "== third-party jars (JCuda with its Linux natives, picocli, Jackson; JUnit for the tests)"
  (cd "$root" && ./mvnw -B -q ${GANTRY_MVN_FLAGS:-} -pl gpu dependency:copy-dependencies -DincludeScope=runtime \
    -DexcludeGroupIds=dev.gantry -DoutputDirectory="$dir/lib")
  (cd "$root" && ./mvnw -B -q ${GANTRY_MVN_FLAGS:-} -pl gpu dependency:copy-dependencies -DincludeScope=test \
    -DexcludeGroupIds=dev.gantry -DoutputDirectory="$dir/test-lib")
  for jar in "$dir"/lib/*.jar; do rm -f "$dir/test-lib/$(basename "$jar")"; done
  cp -r "$root/gpu/target/test-classes" "$dir/test-classes"

  # JCuda's natives jar carries every JCuda library (24 MiB of them the PTX compiler's); the driver API needs
  # only libJCudaDriver, so the packed jar keeps that one.
  local natives tmp
  natives="$(ls "$dir"/lib/jcuda-natives-*.jar)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && unzip -q "$natives" 'lib/libJCudaDriver-*' 'META-INF/*')
  rm "$natives"
  "$JAVA_HOME/bin/jar" --create --file "$natives" -C "$tmp" .
  rm -rf "$tmp"

  echo "== a trimmed Java runtime (jlink)"
  # What the jars need (jdeps also names java.desktop, for Jackson's optional java.beans support: left out).
  local modules="java.base,java.logging,java.management,java.sql,jdk.incubator.vector,jdk.unsupported"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-9 --output "$dir/jre"
  strip --strip-unneeded "$dir/jre/lib/server/libjvm.so" 2>/dev/null || true

  local shared="$root/../shared"
  cp "$shared/models/stories260K.gguf" "$dir/shared/models/"
  cp "$shared/oracle/stories260K_greedy.json" "$dir/shared/oracle/"
  echo "packed modules: $modules" > "$dir/PACKED"
  date -u >> "$dir/PACKED"

  local pack_bytes repo_bytes
  pack_bytes="$(du -sb "$dir" | cut -f1)"
  repo_bytes="$(cd "$root" && git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)"
  printf 'pack: %d KiB in %s; repository (tracked files): %d KiB; together %d of %d KiB\n' \
    $((pack_bytes / 1024)) "$dir" $((repo_bytes / 1024)) $(((pack_bytes + repo_bytes) / 1024)) $((limit_bytes / 1024))
  if [ $((pack_bytes + repo_bytes)) -ge "$limit_bytes" ]; then
    echo "run-on-gpu.sh: the pack and the repository exceed 64 MiB" >&2
    exit 1
  fi
}

json_field() {  # json_field NAME LINE: a number or string field of a one-line JSON object
  echo "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"
}

run() {
  [ -x "$dir/jre/bin/java" ] || { echo "run-on-gpu.sh: no pack at $dir; run 'gpu/run-on-gpu.sh pack' first" >&2; exit 1; }
  local java=("$dir/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC)
  local cp="$dir/lib/*"
  local test_cp="$dir/test-classes:$dir/lib/*:$dir/test-lib/*"
  local work="${GANTRY_GPU_WORK:-/tmp/gantry-gpu-run}"
  local shape="${GANTRY_GPU_SHAPE:-tinyllama-1.1b}"  # another shape (tiny) only to try the script without a GPU
  local results="${OUT:-$work}"
  mkdir -p "$work" "$results"

  echo "== machine"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "(no nvidia-smi)"
  "${java[@]}" -version 2>&1 | head -1

  echo "== GPU tests (JCuda, our kernels, greedy parity on stories260K)"
  local status=0
  "${java[@]}" -Dgantry.shared.dir="$dir/shared" -Dgantry.cuda.sources="$root/gpu/src/main/cuda" -cp "$test_cp" \
    dev.gantry.gpu.GpuTestMain dev.gantry.gpu.DeviceSelectionTest dev.gantry.gpu.KernelSignatureTest \
    dev.gantry.gpu.CudaOnGpuTest | tee "$results/gpu-tests.txt" || status=$?

  echo "== $shape-shaped synthetic models, synthesized here"
  local type summary=()
  for type in Q8_0 F16; do
    local model="$work/$shape-$type.gguf"
    [ -f "$model" ] || "${java[@]}" -cp "$cp" dev.gantry.engine.cli.GantryCli synth --shape "$shape" \
      --type "$type" --out "$model" >&2
    echo "== $type: resident GPU forward (GpuBench)"
    local line engine_line
    line="$("${java[@]}" -cp "$cp" dev.gantry.gpu.GpuBench "$model" --prompt-tokens 128 --gen-tokens 128 | tail -1)" \
      || line=""
    echo "$line" | tee -a "$results/bench.jsonl"
    echo "== $type: gantry bench --device cuda (the engine's forward pass on CudaDevice)"
    engine_line="$("${java[@]}" -cp "$cp" dev.gantry.engine.cli.GantryCli bench --model "$model" --device cuda \
      --prompt-tokens 128 --gen-tokens 64 --reps 2 --json 2>"$work/bench-$type.log" | tail -1)" || engine_line=""
    [ -n "$engine_line" ] || tail -5 "$work/bench-$type.log"
    echo "$engine_line" | tee -a "$results/bench.jsonl"
    if [ -z "$line" ] && [ -z "$engine_line" ]; then
      summary+=("$type: not measured (no usable GPU; see the messages above)")
      continue
    fi
    summary+=("$(printf '%-5s resident decode %8s tok/s | engine bench decode %8s tok/s | HBM floor %8s tok/s (%s bytes/token at %s GB/s)' \
      "$type" "$(json_field decode_tokens_per_s "$line")" "$(json_field decode_tokens_per_s "$engine_line")" \
      "$(json_field floor_tokens_per_s "$line")" "$(json_field weight_bytes_per_token "$line")" \
      "$(json_field bandwidth_gb_per_s "$line")")")
  done

  echo "== summary"
  grep -E '^(PASSED|SKIPPED|FAILED|tests:)' "$results/gpu-tests.txt" | sed 's/^/  /'
  printf '  %s\n' "${summary[@]}"
  return "$status"
}

case "$mode" in
  pack) pack ;;
  run) run ;;
  *) usage; exit 2 ;;
esac
