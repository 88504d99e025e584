#!/usr/bin/env bash
# `npm run demo`: the playground against a seeded local AWS emulator (`start --demo`), with no Slack
# and no AWS account. Installs redis-server (the demo's private Redis) when it is missing, as root on
# Debian; moto's server is a Python package and is only named when missing.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# shellcheck source=scripts/debian-packages.sh
. scripts/debian-packages.sh
install_debian_packages "the demo" ${need[@]+"${need[@]}"} || exit 1

[ -f dist/cli.js ] || npm run --silent build || exit 1
exec node bin/s3-chatops.js start --demo "$@"
