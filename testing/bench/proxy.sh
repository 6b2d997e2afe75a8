#!/usr/bin/env bash
# The Jupyter proxy against the same upstream reached directly: requests per second and p50/p99 latency of 20,000
# GETs of a 4 KiB page with 50 in flight, then how many websockets it holds at once (ds01.launcher.ProxyBench).
# Prints BENCH lines. Run after testing/run-tests.sh has set the machine up.
exec "$(dirname "$0")/run-bench.sh" ProxyBench
