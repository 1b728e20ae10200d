#!/usr/bin/env bash
# Copy the few front-end files the pages use from node_modules into fupin/static/vendor (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
nm=node_modules
out=fupin/static/vendor
rm -rf "$out"
mkdir -p "$out/bootstrap" "$out/bootstrap-icons/fonts"
cp "$nm"/bootstrap/dist/css/bootstrap.min.css{,.map} "$nm"/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$out/bootstrap/"
cp "$nm/bootstrap-icons/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$nm/bootstrap-icons/font/fonts/"bootstrap-icons.woff* "$out/bootstrap-icons/fonts/"
# Licences travel with the files.
cp "$nm/bootstrap/LICENSE" "$out/bootstrap/LICENSE"
cp "$nm/bootstrap-icons/LICENSE" "$out/bootstrap-icons/LICENSE"
