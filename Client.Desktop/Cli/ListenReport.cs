using WsAudio.Client.Playback;

namespace WsAudio.Cli;

/// <summary>What <c>listen --report</c> writes: per-stream frame accounting and the length of the output.</summary>
internal sealed record ListenReport(double OutputSeconds, long OutputSamples, IReadOnlyList<StreamStats> Streams);
