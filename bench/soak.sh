#!/usr/bin/env bash
# Attack and soak figures for docs/security.md: fuzzing with a control room streaming beside it, connection
# churn, a slowloris flood under a small open-file limit, and 20 nats-server restarts (the cluster test's own
# measurement). Prints Markdown. Takes a few minutes on 2 cores; everything stays on 127.0.0.1.
# Usage: bench/soak.sh [--messages N] [--churn N] [--flood N]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build WsAudio.sln -c Release -v quiet -nologo >/dev/null
dotnet build bench/Soak -c Release -v quiet -nologo >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/Soak/bin/Release/net10.0/wsaudio-bench-soak.dll Server/bin/Release/net10.0/WsAudio.Server.dll docs/protocol-vectors.json "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
dotnet test Tests -c Release --no-build --filter "FullyQualifiedName~NatsRestartedTwentyTimes" --logger "console;verbosity=detailed" \
  | grep -m1 -o '20 restarts: .*'
