#!/usr/bin/env bash
# Runs every test on any machine: installs Node 22+, Chromium and the npm packages when missing,
# then `npm test` (build, type-check, lint, unit tests, end-to-end tests in Chromium), and ends
# with one summary line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export PAPER_SCOUT_NEED_CHROMIUM=1
source scripts/env.sh
rm -rf reports
status=0
npm test || status=$?
node scripts/test-summary.mjs || true
exit "$status"
