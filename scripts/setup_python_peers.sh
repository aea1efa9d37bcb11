#!/usr/bin/env bash
# Sets up the Python environment of the real-exporter model tests
# (tests/onnx_models, tests/onnx/data/*.py): Debian's PyTorch and torchvision
# (python3-torch, python3-torchvision: installed when missing, as root or
# with passwordless sudo) and, in a virtual environment that still sees them
# (BUILD/pyenv, created with /usr/bin/python3 --system-site-packages because
# Debian's Python is externally managed, PEP 668), pip's onnx, onnxruntime
# and transformers at the versions below.
#
# Never fails its caller: when something cannot be installed (no network,
# not root), it writes the reason to BUILD/pyenv.unavailable and prints it;
# the model tests then skip and print that reason.
#
#   bash scripts/setup_python_peers.sh [BUILD]     # BUILD defaults to build
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
env_dir=$build/pyenv
reason_file=$build/pyenv.unavailable
mkdir -p "$build"
rm -f "$reason_file"

PIP_PACKAGES=(onnx==1.17.0 onnxruntime==1.20.1 transformers==4.39.3 "numpy<2")
DEBIAN_PACKAGES=(python3-torch python3-torchvision python3-venv python3-pip)

unavailable() {
  echo "$*" > "$reason_file"
  echo "setup_python_peers: the real-exporter model tests will be SKIPPED: $*" >&2
  exit 0
}

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null ||
      unavailable "Debian packages ${missing[*]} are missing and this is not root"
    SUDO="sudo -n"
  fi
  echo "setup_python_peers: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq >/dev/null 2>&1 ||
    unavailable "apt-get update failed (no network?)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    unavailable "apt-get install ${missing[*]} failed (no network?)"
fi

stamp=$env_dir/tsopt-packages.txt
if [ ! -x "$env_dir/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$env_dir" ||
    unavailable "cannot create a virtual environment in $env_dir"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "${PIP_PACKAGES[*]}" ]; then
  echo "setup_python_peers: pip install ${PIP_PACKAGES[*]}" >&2
  "$env_dir/bin/pip" install -q --disable-pip-version-check \
    "${PIP_PACKAGES[@]}" >"$build/pyenv.log" 2>&1 ||
    unavailable "pip install ${PIP_PACKAGES[*]} failed (no network?); see $build/pyenv.log"
  echo "${PIP_PACKAGES[*]}" > "$stamp"
fi
"$env_dir/bin/python" -c "import torch, torchvision, onnx, onnxruntime, transformers" \
  >/dev/null 2>&1 ||
  unavailable "$env_dir cannot import torch, torchvision, onnx, onnxruntime and transformers"
echo "setup_python_peers: $env_dir ready" >&2
