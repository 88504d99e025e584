#!/usr/bin/env bash
# `npm test`: make sure the tools the tests need are on this machine, check the types, run vitest.
# The tests start moto's server and, when nothing answers on REDIS_URL, a private redis-server
# themselves (test/helpers/global-setup.ts); this script only installs what they cannot.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests call: promtool (package prometheus) checks the shipped rules, the
# dashboard and /metrics; redis-server backs the queue and alert-state tests; chromium runs the
# playground's browser test (driven by playwright-core, which downloads no browser of its own).
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)

# shellcheck source=scripts/debian-packages.sh
. scripts/debian-packages.sh
install_debian_packages "the tests" ${need[@]+"${need[@]}"} || exit 1

# moto's server stands in for AWS; it is a Python package (pip install 'moto[server]').
python="${MOTO_PYTHON:-python3}"
if ! "$python" -c 'import moto.server, flask' >/dev/null 2>&1; then
  echo "The tests need moto's server for $python: pip install 'moto[server]' (or set MOTO_PYTHON)" >&2
  exit 1
fi

npm run --silent typecheck || exit 1
exec npx vitest run "$@"
