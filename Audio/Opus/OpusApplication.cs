namespace WsAudio.Audio.Opus;

/// <summary>What the encoder optimizes for (libopus OPUS_APPLICATION_*).</summary>
public enum OpusApplication
{
    /// <summary>Speech intelligibility, with voice-oriented processing. Best for calls and voice rooms.</summary>
    Voip = 2048,

    /// <summary>Faithfulness to the input: music and mixed content.</summary>
    Audio = 2049,

    /// <summary>Lowest delay (no speech mode): saves about 2.5 ms of algorithmic delay.</summary>
    LowDelay = 2051,
}
