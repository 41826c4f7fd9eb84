#!/usr/bin/env bash
# WsAudio's two entry points (build.ps1 offers the same on Windows):
#   ./build.sh run [server options]   build everything, serve http://localhost:8080
#   ./build.sh test                   install what the tests need when missing, then run every test
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# System packages the tests use: libopus (codec), PortAudio with ALSA's PulseAudio plugin (microphone and
# speaker), espeak-ng (test speech), PulseAudio (a virtual microphone for the capture test), Chromium (the
# browser tests drive Debian's build through Playwright; Playwright never downloads one), nats-server (the
# cluster tests run two server nodes over a real one), ffmpeg and opus-tools (players and checkers of the radio
# listen URL), curl, prometheus (promtool checks /metrics), nginx and openssl (the deploy/nginx.conf example runs
# in front of the server with a self-signed certificate).
TEST_PACKAGES=(libopus0 libportaudio2 libasound2-plugins espeak-ng pulseaudio pulseaudio-utils chromium nats-server ffmpeg opus-tools curl prometheus nginx openssl)

usage() {
  echo "usage: ./build.sh run [--port N] [--host H] ... | ./build.sh test" >&2
  exit 2
}

install_missing() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "build.sh: install these packages first: ${missing[*]}" >&2
    return 1
  fi
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  echo "build.sh: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The browser library and pages: npm packages are installed from package-lock.json when missing or stale.
build_web() {
  if [ ! -d Client.Web/node_modules ] || [ Client.Web/package-lock.json -nt Client.Web/node_modules/.package-lock.json ]; then
    (cd Client.Web && npm ci --no-audit --no-fund)
  fi
  (cd Client.Web && npm run build)
}

build_all() {
  build_web
  dotnet build WsAudio.sln -c Release
}

run() {
  build_all
  exec dotnet Server/bin/Release/net10.0/WsAudio.Server.dll "$@"
}

# Adds up the summaries of node's test runner ("ℹ pass N") and of dotnet test ("Passed!  - Failed: …"),
# for the single closing line CI reads.
summarize() {
  awk '
    /^ℹ pass / { p += $3 } /^ℹ fail / { f += $3 } /^ℹ skipped / { s += $3 }
    /(Passed|Failed)! +- +Failed: / {
      gsub(/,/, ""); for (i = 1; i <= NF; i++) {
        if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
      }
    }
    END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
}

test_all() {
  install_missing "${TEST_PACKAGES[@]}"
  build_all
  local log status=0
  log=$(mktemp)
  (cd Client.Web && npm test) 2>&1 | tee "$log" || status=$?
  dotnet test WsAudio.sln -c Release --no-build --results-directory TestResults \
    --logger trx 2>&1 | tee -a "$log" || status=$?
  summarize < "$log"
  rm -f "$log"
  return "$status"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  test) test_all ;;
  *) usage ;;
esac
