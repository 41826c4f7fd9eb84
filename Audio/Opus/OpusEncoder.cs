namespace WsAudio.Audio.Opus;

/// <summary>Encodes fixed-size frames of float PCM into Opus packets. Not thread-safe.</summary>
public sealed class OpusEncoder : IDisposable
{
    /// <summary>Largest packet libopus produces for one frame (RFC 6716 §3.4: 1275 bytes per 20 ms, up to 3 frames).</summary>
    public const int MaxPacketBytes = 4000;

    private readonly OpusEncoderHandle _handle;

    public OpusEncoder(OpusEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        OpusPlatform.EnsureCtlSupported();
        Options = options;
        _handle = OpusNative.EncoderCreate(options.SampleRate, options.Channels, (int)options.Application, out int error);
        if (error != OpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException("opus_encoder_create", error);
        }

        Set(OpusNative.SetBitrateRequest, options.Bitrate);
        Set(OpusNative.SetComplexityRequest, options.Complexity);
        Set(OpusNative.SetInbandFecRequest, options.InbandFec ? 1 : 0);
        Set(OpusNative.SetPacketLossPercRequest, options.ExpectedPacketLossPercent);
        Set(OpusNative.SetDtxRequest, options.Dtx ? 1 : 0);
        OpusException.Check("OPUS_GET_LOOKAHEAD", OpusNative.EncoderCtlGet(_handle, OpusNative.GetLookaheadRequest, out int lookahead));
        Lookahead = lookahead;
    }

    public OpusEncoderOptions Options { get; }

    /// <summary>Samples per channel the encoder expects in every call.</summary>
    public int FrameSamples => Options.FrameSamples;

    /// <summary>Algorithmic delay in samples per channel: decoded audio lags the input by this much.</summary>
    public int Lookahead { get; }

    /// <summary>
    /// Encodes one frame of interleaved samples in [-1, 1] (<see cref="FrameSamples"/> × channels of them) into
    /// <paramref name="packet"/>; returns the packet length. With DTX, 1–2 bytes mean silence that need not be sent.
    /// </summary>
    public unsafe int Encode(ReadOnlySpan<float> pcm, Span<byte> packet)
    {
        if (pcm.Length != FrameSamples * Options.Channels)
        {
            throw new ArgumentException($"a frame is {FrameSamples * Options.Channels} samples, not {pcm.Length}", nameof(pcm));
        }

        fixed (float* input = pcm)
        fixed (byte* output = packet)
        {
            return OpusException.Check("opus_encode_float", OpusNative.EncodeFloat(_handle, input, FrameSamples, output, packet.Length));
        }
    }

    /// <summary>Forgets all history, as for a new stream.</summary>
    public void Reset() => OpusException.Check("OPUS_RESET_STATE", OpusNative.EncoderCtl(_handle, OpusNative.ResetState));

    public void Dispose() => _handle.Dispose();

    private void Set(int request, int value) => OpusException.Check($"opus_encoder_ctl({request})", OpusNative.EncoderCtl(_handle, request, value));
}
