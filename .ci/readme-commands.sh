#!/usr/bin/env bash
# Follows the README's two set-up commands exactly, as a newcomer would: in a fresh clone of
# this repository, run the block marked <!-- setup-commands --> line by line.
set -euo pipefail
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/devops"
cd "$work/devops"
mapfile -t commands < <(awk '/<!-- setup-commands -->/{on=1; next} on && /^```bash/{inblock=1; next} inblock && /^```/{exit} inblock && NF && !/^#/{print}' README.md)
if [ "${#commands[@]}" -ne 2 ]; then
  echo "expected the README's two set-up commands, found ${#commands[@]}" >&2
  exit 1
fi
for command in "${commands[@]}"; do
  command=${command%%#*}
  echo "==> $command"
  start=$(date +%s)
  bash -c "$command" </dev/null
  echo "==> ok ($(($(date +%s) - start)) s): $command"
done
