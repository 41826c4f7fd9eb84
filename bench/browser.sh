#!/usr/bin/env bash
# What a listening page costs in headless Chromium on each decode/playback path, and the latency it hears.
# Prints a Markdown table for docs/benchmarks.md. Needs chromium (./build.sh test installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Server -c Release -v quiet -nologo >/dev/null
dotnet build Client.Desktop/Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench/Browser -c Release -v quiet -nologo >/dev/null
exec dotnet bench/Browser/bin/Release/net10.0/wsaudio-bench-browser.dll \
  Server/bin/Release/net10.0/WsAudio.Server.dll Client.Desktop/Cli/bin/Release/net10.0/wsaudio.dll "$@"
