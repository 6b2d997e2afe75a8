#!/usr/bin/env bash
# Deploy-to-running through the portal against the same create+start straight on the engine: medians of 20
# runs and their ratio (ds01.containers.DeployBench), on the real engine with one MIG slice each. Prints a BENCH line.
# Run after testing/run-tests.sh has set the machine up (accounts, PAM service file).
exec "$(dirname "$0")/run-bench.sh" DeployBench
