#!/usr/bin/env bash
# Runs one benchmark class (a @QuarkusTest whose name does not end in Test, so the suite skips it) and prints
# its BENCH lines. Usage: testing/bench/run-bench.sh AllocationBench
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BenchClass" >&2; exit 2; }
cd "$(dirname "$0")/../.."
export DS01_NVIDIA_SMI="$PWD/testing/bin/nvidia-smi"
log="$(mktemp)"
if ! mvn -B test -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  exit 1
fi
grep -h '^BENCH' "$log" target/surefire-reports/*"$1"*-output.txt 2>/dev/null | sort -u
rm -f "$log"
