#!/bin/sh
# Writes BuildCommit.swift, declaring `let buildCommit: String?`, into the folder $2: the git
# commit of the package in folder $1 (`git rev-parse HEAD`, 40 hexadecimal digits), or nil when
# $1 is not the top of a git checkout (a source archive, even one unpacked inside another
# repository) or git is missing. The file is rewritten only when its text changes.
# Run before every build by the RecordBuildCommit plugin (Plugins/RecordBuildCommit).
set -u
commit=""
top=$(cd "$1" 2>/dev/null && git rev-parse --show-toplevel 2>/dev/null) || top=""
if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$1" && pwd -P)" ]; then
    commit=$(git -C "$1" rev-parse --verify --quiet HEAD 2>/dev/null) || commit=""
fi
case "$commit" in
    *[!0-9a-f]*) commit="" ;;
esac
case ${#commit} in
    40 | 64) ;;
    *) commit="" ;;
esac
if [ -n "$commit" ]; then value="\"$commit\""; else value="nil"; fi
text="/// The git commit the binary was built from; nil outside a git checkout (written by the
/// RecordBuildCommit plugin at build time).
let buildCommit: String? = $value"
mkdir -p "$2"
file="$2/BuildCommit.swift"
if [ ! -f "$file" ] || [ "$(cat "$file")" != "$text" ]; then
    printf '%s\n' "$text" > "$file.tmp" && mv "$file.tmp" "$file"
fi
