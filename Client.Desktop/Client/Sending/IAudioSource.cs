namespace WsAudio.Client.Sending;

/// <summary>Where audio to send comes from, as 48 kHz float samples, mono unless <see cref="Channels"/> says stereo.</summary>
public interface IAudioSource : IDisposable
{
    /// <summary>
    /// True when the source delivers in real time by itself (a microphone: each read waits for the audio), so the
    /// sender must not pace it; false for files and pipes, which the sender paces at real-time speed.
    /// </summary>
    bool IsLive { get; }

    /// <summary>Interleaved channels in what <see cref="Read"/> delivers: 1 (mono, the default) or 2 (stereo).</summary>
    int Channels => 1;

    /// <summary>Fills <paramref name="frame"/>; returns how many samples it wrote. Fewer than asked means the source ended.</summary>
    int Read(Span<float> frame);
}
