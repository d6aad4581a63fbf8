#!/usr/bin/env bash
# The main job on Iris: install the system libraries exp links against (when missing), build in
# release mode, sweep the default grid into runs.db and write the leaderboards to reports/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libsqlite3-dev libopenblas-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

swift build -c release --product exp
exp=.build/release/exp
"$exp" sweep Data/grids/iris.json --db runs.db
"$exp" report --db runs.db --top 10 --out reports
