#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), then runs the whole test suite.
#
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
# A short, bounded fuzz run of the ONNX importer (its corpus is in fuzz/).
bash scripts/run_fuzzer.sh 30
