namespace WsAudio.Audio.Opus;

/// <summary>
/// Decodes Opus packets into float PCM, and stands in for lost packets: by concealment (extrapolating from what
/// came before) or, when the sender used in-band FEC, by recovering the lost frame from the packet after it.
/// Not thread-safe.
/// </summary>
public sealed class OpusDecoder : IDisposable
{
    /// <summary>Samples per channel in the longest possible packet (120 ms at 48 kHz).</summary>
    public const int MaxFrameSamples = 5760;

    private readonly OpusDecoderHandle _handle;

    /// <param name="sampleRate">Output rate: 8000, 12000, 16000, 24000 or 48000 Hz.</param>
    /// <param name="channels">Output channels, 1 or 2 (a mono packet is duplicated, a stereo one downmixed).</param>
    public OpusDecoder(int sampleRate = 48000, int channels = 1)
    {
        if (sampleRate is not (8000 or 12000 or 16000 or 24000 or 48000))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Opus decodes at 8000, 12000, 16000, 24000 or 48000 Hz");
        }

        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Opus decodes to 1 or 2 channels");
        }

        SampleRate = sampleRate;
        Channels = channels;
        _handle = OpusNative.DecoderCreate(sampleRate, channels, out int error);
        if (error != OpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException("opus_decoder_create", error);
        }
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Decodes one packet into <paramref name="pcm"/> (interleaved); returns samples per channel written.</summary>
    /// <exception cref="OpusException">The packet is corrupt (error -4) or <paramref name="pcm"/> is too small.</exception>
    public unsafe int Decode(ReadOnlySpan<byte> packet, Span<float> pcm)
    {
        if (packet.IsEmpty)
        {
            throw new ArgumentException("an empty packet carries no audio; use Conceal for a lost one", nameof(packet));
        }

        fixed (byte* input = packet)
        fixed (float* output = pcm)
        {
            return OpusException.Check("opus_decode_float", OpusNative.DecodeFloat(_handle, input, packet.Length, output, pcm.Length / Channels, 0));
        }
    }

    /// <summary>
    /// Fills <paramref name="pcm"/> for one lost packet by packet-loss concealment; its length sets the duration
    /// (a multiple of 2.5 ms). Returns samples per channel written.
    /// </summary>
    public unsafe int Conceal(Span<float> pcm)
    {
        fixed (float* output = pcm)
        {
            return OpusException.Check("opus_decode_float(PLC)", OpusNative.DecodeFloat(_handle, null, 0, output, pcm.Length / Channels, 0));
        }
    }

    /// <summary>
    /// Recovers the packet lost just before <paramref name="nextPacket"/> from the FEC data inside it (falling back to
    /// concealment when it has none). <paramref name="pcm"/> must be the lost packet's duration. Decode
    /// <paramref name="nextPacket"/> itself afterwards as usual.
    /// </summary>
    public unsafe int RecoverFromNext(ReadOnlySpan<byte> nextPacket, Span<float> pcm)
    {
        fixed (byte* input = nextPacket)
        fixed (float* output = pcm)
        {
            return OpusException.Check("opus_decode_float(FEC)", OpusNative.DecodeFloat(_handle, input, nextPacket.Length, output, pcm.Length / Channels, 1));
        }
    }

    /// <summary>Samples per channel a packet decodes to at <paramref name="sampleRate"/>.</summary>
    public static unsafe int GetSamples(ReadOnlySpan<byte> packet, int sampleRate = 48000)
    {
        fixed (byte* input = packet)
        {
            return OpusException.Check("opus_packet_get_nb_samples", OpusNative.PacketGetSamples(input, packet.Length, sampleRate));
        }
    }

    public void Dispose() => _handle.Dispose();
}
