#!/usr/bin/env bash
# Generates exp's man page from its commands (swift-argument-parser's generate-manual plugin)
# and installs it as PREFIX/share/man/man1/exp.1 (PREFIX defaults to /usr/local; run with sudo
# there, or PREFIX=~/.local for your own account). Prints where it went.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${PREFIX:-/usr/local}"
# The debug build is enough for the page (and quicker than the plugin's default, release).
swift package plugin generate-manual --configuration debug >&2
page=$(find .build/plugins -path '*GenerateManual*' -name exp.1 | head -n 1)
[ -n "$page" ] || { echo "install-man: generate-manual wrote no exp.1 under .build/plugins" >&2; exit 1; }
install -D -m 644 "$page" "$prefix/share/man/man1/exp.1"
echo "$prefix/share/man/man1/exp.1"
