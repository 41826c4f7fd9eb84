#!/usr/bin/env bash
# WsAudio's two entry points (build.ps1 offers the same on Windows):
#   ./build.sh run [server options]   build everything, serve http://localhost:8080
#   ./build.sh test                   install what the tests need when missing, then run every test
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
  echo "usage: ./build.sh run [--port N] [--host H] ... | ./build.sh test" >&2
  exit 2
}

run() {
  dotnet build WsAudio.sln -c Release
  exec dotnet Server/bin/Release/net10.0/WsAudio.Server.dll "$@"
}

# dotnet test prints one summary line per test assembly; CI reads a single closing line.
summarize() {
  awk '
    /(Passed|Failed)! +- +Failed: / {
      gsub(/,/, ""); for (i = 1; i <= NF; i++) {
        if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
      }
    }
    END { printf "dotnet: %d passed, %d failed, %d skipped\n", p, f, s }'
}

test_all() {
  dotnet build WsAudio.sln -c Release
  local log status=0
  log=$(mktemp)
  dotnet test WsAudio.sln -c Release --no-build --results-directory TestResults \
    --logger trx 2>&1 | tee "$log" || status=$?
  summarize < "$log"
  rm -f "$log"
  return "$status"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  test) test_all ;;
  *) usage ;;
esac
