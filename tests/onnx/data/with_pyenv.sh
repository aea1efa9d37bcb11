#!/usr/bin/env bash
# Runs a test-data Python script in the model tests' environment
# (BUILD/pyenv, made by scripts/setup_python_peers.sh), or skips: prints why
# the environment is not there and exits 77 (ctest's SKIP_RETURN_CODE).
#
#   bash tests/onnx/data/with_pyenv.sh BUILD script.py [args...]
set -euo pipefail
build=$1
shift
if [ -f "$build/pyenv.unavailable" ]; then
  echo "SKIP: $(cat "$build/pyenv.unavailable")"
  exit 77
fi
if [ ! -x "$build/pyenv/bin/python" ]; then
  echo "SKIP: no Python environment in $build/pyenv; run" \
       "scripts/setup_python_peers.sh $build (scripts/test.sh does)"
  exit 77
fi
exec "$build/pyenv/bin/python" "$@"
