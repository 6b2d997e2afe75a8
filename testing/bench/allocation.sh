#!/usr/bin/env bash
# Allocation decisions per second and p50/p99 latency for 1, 10 and 100 concurrent requesters, against the
# built-in PostgreSQL, on 4 GPUs in 28 MIG slices (ds01.gpu.AllocationBench). Prints one BENCH line each.
# Run after testing/run-tests.sh has set the machine up (accounts, PAM service file).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DS01_NVIDIA_SMI="$PWD/testing/bin/nvidia-smi"
log="$(mktemp)"
if ! mvn -B test -Dtest=AllocationBench -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  exit 1
fi
grep -h '^BENCH' "$log" target/surefire-reports/*AllocationBench*-output.txt 2>/dev/null | sort -u
rm -f "$log"
