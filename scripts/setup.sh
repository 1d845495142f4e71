#!/usr/bin/env bash
# Sets up a fresh Debian machine: system packages, a virtual environment, the package, the model.
#   bash scripts/setup.sh          # what the demo needs
#   bash scripts/setup.sh --test   # plus what the tests need (browser, PostgreSQL, tiny-model engines)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_packages=(espeak-ng sox libsox-fmt-all libsndfile1 libportaudio2 ffmpeg pulseaudio pulseaudio-utils)
[ "$want_test" = 1 ] && apt_packages+=(chromium postgresql fonts-dejavu-core)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv"
  python3 -m venv .venv
fi
pip=(.venv/bin/pip install -q --disable-pip-version-check)
if [ "$want_test" = 1 ]; then
  # torch first, pinned to the CPU build (a bare 'torch' would pull a multi-GB CUDA build).
  .venv/bin/python -c "import torch" 2>/dev/null || "${pip[@]}" "torch==2.13.0"
  echo "==> Installing the package with test extras"
  "${pip[@]}" -e ".[test]"
else
  echo "==> Installing the package"
  "${pip[@]}" -e .
fi

echo "==> Reassembling and verifying the bundled Whisper model"
.venv/bin/assistant models --verify
