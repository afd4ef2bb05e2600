#!/usr/bin/env bash
# Runs before `npm test` (package.json "pretest"), so the README's test command works on a fresh
# machine: the tests need Java 17 + Maven (the MongoDB-wire server, unless MONGO_URI is set) and
# Debian's chromium (browser tests; playwright-core cannot download a browser here). As root with
# apt-get, missing packages are installed once; otherwise it says what to install.
set -euo pipefail
missing=()
if [ -z "${MONGO_URI:-}" ]; then
  command -v java >/dev/null 2>&1 || missing+=(default-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
fi
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing ${missing[*]} with apt-get (first run only)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "npm test needs: ${missing[*]} (Debian: sudo apt-get install ${missing[*]}; or set CHROMIUM_PATH)" >&2
  exit 1
fi
