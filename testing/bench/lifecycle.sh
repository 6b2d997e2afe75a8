#!/usr/bin/env bash
# One lifecycle sweep over 200 running containers on the real engine, three rounds (ds01.lifecycle.LifecycleBench);
# target under 2 seconds a sweep. Prints BENCH lines. Run after testing/run-tests.sh has set the machine up.
exec "$(dirname "$0")/run-bench.sh" LifecycleBench
