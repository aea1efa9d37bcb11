#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh, and the Python environment of the
# real-exporter model tests: scripts/setup_python_peers.sh, which never
# fails; without network those tests skip and print why), runs a short,
# bounded fuzz run of the ONNX importer (its seed corpus is
# fuzz/corpus/onnx), then the whole test suite (ctest's summary is the last
# thing printed).
#
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup_python_peers.sh build
bash scripts/run_fuzzer.sh 30
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
