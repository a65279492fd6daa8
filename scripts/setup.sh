#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and the demo need.
# Idempotent and non-interactive: run it as often as you like; packages that
# are already present are left alone and apt is only consulted when needed.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format
  # device transports
  libusb-1.0-0-dev libserialport-dev
  # vision and video
  libopencv-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # tests and benchmarks
  libboost-test-dev libbenchmark-dev
  # records and files
  libsqlite3-dev sqlite3 libyaml-cpp-dev nlohmann-json3-dev
  # real peers the emulators are checked against
  gpsd gpsd-clients
  # a standard JUnit XML consumer the record exports are checked with
  python3-junitparser
  # console
  libimgui-dev libglfw3-dev libgl-dev xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
