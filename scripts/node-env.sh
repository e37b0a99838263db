# shellcheck shell=bash
# Source this file to get a Node.js that Backstage supports (22 or 24) on PATH.
#
# When the system Node is older, a Node 22 binary is installed from the npm
# registry's `node-linux-<arch>` package into `.tools/` (git-ignored), and
# node-gyp is pointed at the headers shipped in that package, so native
# modules such as better-sqlite3 build without downloading anything else.
#
#   source scripts/node-env.sh && yarn install

_secmgmt_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_secmgmt_node_version="22.23.3"

_secmgmt_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_secmgmt_major)" -lt 22 ]; then
  case "$(uname -m)" in
    x86_64) _secmgmt_arch=x64 ;;
    aarch64 | arm64) _secmgmt_arch=arm64 ;;
    *) echo "node-env: unsupported CPU $(uname -m); install Node 22 yourself" >&2; return 1 ;;
  esac
  _secmgmt_pkg="node-linux-${_secmgmt_arch}"
  _secmgmt_dir="$_secmgmt_root/.tools/node-$_secmgmt_node_version"
  if [ ! -x "$_secmgmt_dir/node_modules/$_secmgmt_pkg/bin/node" ]; then
    echo "node-env: system Node is $(node --version 2>/dev/null || echo missing); installing Node $_secmgmt_node_version into .tools/" >&2
    mkdir -p "$_secmgmt_dir"
    npm install --silent --no-save --no-package-lock --prefix "$_secmgmt_dir" \
      "$_secmgmt_pkg@$_secmgmt_node_version" >&2 || return 1
  fi
  export PATH="$_secmgmt_dir/node_modules/$_secmgmt_pkg/bin:$PATH"
  export npm_config_nodedir="$_secmgmt_dir/node_modules/$_secmgmt_pkg"
fi

# Yarn comes from the repository (.yarnrc.yml yarnPath); this shim makes
# `yarn` work without a global install or corepack.
mkdir -p "$_secmgmt_root/.tools/bin"
printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$_secmgmt_root" >"$_secmgmt_root/.tools/bin/yarn"
chmod +x "$_secmgmt_root/.tools/bin/yarn"
export PATH="$_secmgmt_root/.tools/bin:$PATH"
unset -f _secmgmt_major
