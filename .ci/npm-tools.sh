#!/usr/bin/env bash
# Installs the npm tools the tests run (ImportToolContract: mixpanel-import, pinned by its
# package-lock.json). Idempotent: does nothing when the pinned version is already installed.
set -euo pipefail
cd "$(dirname "$0")/../src/test/node/mixpanel-import"
want=$(node -p "require('./package-lock.json').packages['node_modules/mixpanel-import'].version")
have=$(node -p "try { require('./node_modules/mixpanel-import/package.json').version } catch (e) { '' }")
if [ "$want" != "$have" ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
