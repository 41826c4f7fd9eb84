namespace WsAudio.Audio.Wav;

/// <summary>Sample encodings a WAV file may use here.</summary>
public enum WavSampleFormat
{
    /// <summary>Signed 16-bit integer.</summary>
    Pcm16,

    /// <summary>Signed 24-bit integer, packed in 3 bytes.</summary>
    Pcm24,

    /// <summary>Signed 32-bit integer.</summary>
    Pcm32,

    /// <summary>32-bit IEEE float.</summary>
    IeeeFloat32,
}
