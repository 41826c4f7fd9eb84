using System.Text.Json.Serialization;

namespace WsAudio.Protocol;

/// <summary>
/// The audio a sender declares in <c>join</c> and the server announces with its stream. Frames carry only the codec;
/// rate and channel count come from here.
/// </summary>
public sealed record AudioFormat
{
    /// <summary>Opus, mono, 48 kHz: the default when a sender declares nothing.</summary>
    public static AudioFormat Default { get; } = new();

    /// <summary>Sample rates accepted for <see cref="AudioCodec.Pcm16"/>, in Hz.</summary>
    public static IReadOnlyList<int> PcmSampleRates { get; } = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

    /// <summary>Sample rates a tap may ask for, in Hz.</summary>
    public static IReadOnlyList<int> TapSampleRates { get; } = [8000, 16000, 24000, 48000];

    /// <summary>What a tap receives unless it asks otherwise: PCM 16, 16 kHz, mono (what speech recognizers take).</summary>
    public static AudioFormat TapDefault { get; } = new() { Codec = AudioCodec.Pcm16, SampleRate = 16000 };

    /// <summary>How the payload is coded. Default: Opus. Required in JSON, like the other two fields.</summary>
    [JsonRequired]
    public AudioCodec Codec { get; init; } = AudioCodec.Opus;

    /// <summary>Samples per second per channel. Opus streams always use 48000 (their timestamps count 48 kHz samples).</summary>
    [JsonRequired]
    public int SampleRate { get; init; } = 48000;

    /// <summary>1 (mono) or 2 (stereo, interleaved for PCM).</summary>
    [JsonRequired]
    public int Channels { get; init; } = 1;

    /// <summary>Returns why a tap may not ask for this format, or null when it may.</summary>
    public string? ValidateForTap()
    {
        if (Codec != AudioCodec.Pcm16)
        {
            return "a tap receives codec 'pcm16'";
        }

        if (Channels != 1)
        {
            return $"a tap receives mono (channels 1), not {Channels} channels";
        }

        return TapSampleRates.Contains(SampleRate) ? null : $"a tap's sampleRate must be one of {string.Join(", ", TapSampleRates)}, not {SampleRate}";
    }

    /// <summary>Returns why this format is not accepted, or null when it is.</summary>
    public string? Validate()
    {
        if (Channels is < 1 or > 2)
        {
            return $"channels must be 1 or 2, not {Channels}";
        }

        return Codec switch
        {
            AudioCodec.Opus when SampleRate != 48000 => $"opus streams use sampleRate 48000, not {SampleRate}",
            AudioCodec.Opus => null,
            AudioCodec.Pcm16 when !PcmSampleRates.Contains(SampleRate) =>
                $"pcm16 sampleRate must be one of {string.Join(", ", PcmSampleRates)}, not {SampleRate}",
            AudioCodec.Pcm16 => null,
            _ => "codec must be 'opus' or 'pcm16'",
        };
    }
}
