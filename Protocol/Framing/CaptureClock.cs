namespace WsAudio.Protocol.Framing;

/// <summary>
/// The clock of <see cref="AudioFrameHeader.CaptureTimeMicros"/> and of a pong's server time: microseconds since the
/// Unix epoch, so that sender, server and listener on synchronised machines can time a frame end to end.
/// </summary>
public static class CaptureClock
{
    /// <summary>Now, in microseconds since the Unix epoch.</summary>
    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
}
