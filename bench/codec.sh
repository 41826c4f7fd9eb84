#!/usr/bin/env bash
# Opus encode/decode speed on one core, in multiples of real time, at the settings WsAudio uses.
# Prints a Markdown table for docs/benchmarks.md. Needs libopus0 and espeak-ng (./build.sh test installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Codec -c Release -v quiet -nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
espeak-ng -v en-us -s 150 -w "$work/speech.wav" \
  "WsAudio carries live speech from one speaker to many listeners, and every frame arrives in order."
# One core, so the figure is what one encoder or decoder costs, not what the machine can do in parallel.
exec taskset -c 0 dotnet bench/Codec/bin/Release/net10.0/wsaudio-bench-codec.dll "$work/speech.wav"
