#!/usr/bin/env bash
# Builds the extension on any machine: Chrome MV3 into .output/chrome-mv3, Firefox MV3 into
# .output/firefox-mv3. Installs Node 22+ and the npm packages first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
npm run build
npm run build:firefox
echo "Built: load .output/chrome-mv3 (Chrome) or .output/firefox-mv3/manifest.json (Firefox)."
