# Sourced by scripts/test.sh and scripts/demo.sh: installs the Debian packages a script needs when
# they are missing, as root with apt-get, without leaving their services running.
# Usage: install_debian_packages "what needs them" PACKAGE...   (returns non-zero when it cannot)
install_debian_packages() {
  local why="$1"
  shift
  [ "$#" -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing Debian packages for $why: $*. Install them: sudo apt-get install -y --no-install-recommends $*" >&2
    return 1
  fi
  echo "== installing $* (Debian packages for $why)"
  # Installing must not leave servers running: service start-up is refused while apt runs.
  local policy=/usr/sbin/policy-rc.d created_policy="" installed
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
  apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  installed=$?
  [ -n "$created_policy" ] && rm -f "$policy"
  if command -v systemctl >/dev/null 2>&1; then
    systemctl stop prometheus >/dev/null 2>&1 || true
    systemctl stop redis-server >/dev/null 2>&1 || true
  fi
  [ "$installed" -eq 0 ] || { echo "could not install $* with apt-get" >&2; return 1; }
}
