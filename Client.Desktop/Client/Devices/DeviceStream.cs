namespace WsAudio.Client.Devices;

/// <summary>
/// An open PortAudio stream in blocking mode, 32-bit float, one direction. Opens at 48 kHz when the device allows
/// it, else at the device's default rate (callers convert).
/// </summary>
internal sealed unsafe class DeviceStream : IDisposable
{
    private IntPtr _stream;

    public DeviceStream(AudioDevice device, bool input, int framesPerBuffer)
    {
        PortAudio.Acquire();
        try
        {
            Channels = Math.Min(input ? device.InputChannels : device.OutputChannels, input ? 2 : 1);
            var parameters = new PortAudioNative.StreamParameters
            {
                Device = device.Index,
                ChannelCount = Channels,
                SampleFormat = new System.Runtime.InteropServices.CULong((nuint)PortAudioNative.Float32),
                SuggestedLatency = 0.05,
            };
            var inputParameters = input ? &parameters : null;
            var outputParameters = input ? null : &parameters;
            SampleRate = PortAudioNative.IsFormatSupported(inputParameters, outputParameters, 48000) == PortAudioNative.NoError
                ? 48000
                : (int)device.DefaultSampleRate;
            PortAudioNative.Check(
                $"opening '{device.Name}'",
                PortAudioNative.OpenStream(out _stream, inputParameters, outputParameters, SampleRate, new((uint)framesPerBuffer), new(0u), IntPtr.Zero, IntPtr.Zero));
            PortAudioNative.Check($"starting '{device.Name}'", PortAudioNative.StartStream(_stream));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Blocks until <paramref name="interleaved"/> is filled from the microphone.</summary>
    public void Read(Span<float> interleaved)
    {
        fixed (float* buffer = interleaved)
        {
            int result = PortAudioNative.ReadStream(_stream, buffer, new((uint)(interleaved.Length / Channels)));
            if (result != PortAudioNative.InputOverflowed)
            {
                PortAudioNative.Check("reading the microphone", result);
            }
        }
    }

    /// <summary>Blocks until the speaker has taken <paramref name="interleaved"/>.</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        fixed (float* buffer = interleaved)
        {
            int result = PortAudioNative.WriteStream(_stream, buffer, new((uint)(interleaved.Length / Channels)));
            if (result != PortAudioNative.OutputUnderflowed)
            {
                PortAudioNative.Check("writing to the speaker", result);
            }
        }
    }

    public void Dispose()
    {
        if (_stream != IntPtr.Zero)
        {
            // Teardown errors leave nothing to recover: the stream is gone either way.
            _ = PortAudioNative.StopStream(_stream);
            _ = PortAudioNative.CloseStream(_stream);
            _stream = IntPtr.Zero;
            PortAudio.Release();
        }
    }
}
