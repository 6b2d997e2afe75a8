#!/usr/bin/env bash
# Allocation decisions per second and p50/p99 latency for 1, 10 and 100 concurrent requesters, against the
# built-in PostgreSQL, on 4 GPUs in 28 MIG slices (ds01.gpu.AllocationBench). Prints one BENCH line each.
# Run after testing/run-tests.sh has set the machine up (accounts, PAM service file).
exec "$(dirname "$0")/run-bench.sh" AllocationBench
