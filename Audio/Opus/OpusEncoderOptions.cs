namespace WsAudio.Audio.Opus;

/// <summary>Encoder settings. Defaults suit a voice stream: 48 kHz mono, 20 ms frames, 32 kbit/s.</summary>
public sealed record OpusEncoderOptions
{
    /// <summary>Frame durations Opus can encode, in microseconds.</summary>
    public static IReadOnlyList<int> FrameDurationsMicros { get; } = [2500, 5000, 10000, 20000, 40000, 60000];

    /// <summary>Input sample rate in Hz: 8000, 12000, 16000, 24000 or 48000. Default 48000 (the protocol's rate for Opus).</summary>
    public int SampleRate { get; init; } = 48000;

    /// <summary>1 or 2. Default 1.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>What the encoder optimizes for. Default <see cref="OpusApplication.Voip"/>.</summary>
    public OpusApplication Application { get; init; } = OpusApplication.Voip;

    /// <summary>Target bit rate in bit/s, 6,000–510,000. Default 32,000: clear wideband speech.</summary>
    public int Bitrate { get; init; } = 32_000;

    /// <summary>CPU effort 0–10; higher is better quality per bit. Default 10.</summary>
    public int Complexity { get; init; } = 10;

    /// <summary>Frame duration, one of <see cref="FrameDurationsMicros"/>. Default 20 ms.</summary>
    public int FrameDurationMicros { get; init; } = 20_000;

    /// <summary>Embed a low-rate copy of each frame in the next, so a lost frame can be recovered. Default off.</summary>
    public bool InbandFec { get; init; }

    /// <summary>Expected packet loss in percent, 0–100; FEC is only spent when this is above 0. Default 0.</summary>
    public int ExpectedPacketLossPercent { get; init; }

    /// <summary>Discontinuous transmission: during silence send a tiny packet every 400 ms instead of every frame. Default off.</summary>
    public bool Dtx { get; init; }

    /// <summary>Samples per channel in one frame.</summary>
    public int FrameSamples => (int)((long)SampleRate * FrameDurationMicros / 1_000_000);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Require(SampleRate is 8000 or 12000 or 16000 or 24000 or 48000, $"SampleRate {SampleRate} is not one of 8000, 12000, 16000, 24000, 48000");
        Require(Channels is 1 or 2, $"Channels must be 1 or 2, not {Channels}");
        Require(Bitrate is >= 6000 and <= 510_000, $"Bitrate {Bitrate} is outside 6000–510000 bit/s");
        Require(Complexity is >= 0 and <= 10, $"Complexity {Complexity} is outside 0–10");
        Require(FrameDurationsMicros.Contains(FrameDurationMicros), $"frame duration {FrameDurationMicros / 1000.0} ms is not one of 2.5, 5, 10, 20, 40, 60 ms");
        Require(ExpectedPacketLossPercent is >= 0 and <= 100, $"ExpectedPacketLossPercent {ExpectedPacketLossPercent} is outside 0–100");
        Require(Enum.IsDefined(Application), $"unknown application {Application}");
    }
}
