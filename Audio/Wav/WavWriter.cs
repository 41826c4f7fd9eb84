using System.Buffers.Binary;

namespace WsAudio.Audio.Wav;

/// <summary>
/// Writes a WAV file as samples arrive; the sizes in the header are filled in on <see cref="Dispose"/>. Samples
/// outside [-1, 1] are clipped for integer formats.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const int HeaderBytes = 44;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _bytesPerSample;
    private long _dataBytes;
    private bool _disposed;

    public WavWriter(Stream stream, int sampleRate, int channels, WavSampleFormat format = WavSampleFormat.Pcm16, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _stream = stream;
        _ownsStream = ownsStream;
        SampleRate = sampleRate;
        Channels = channels;
        Format = format;
        _bytesPerSample = WavHeader.SampleBytes(format);
        // A pipe cannot be rewound to fill in the size at the end: say "to the end of the stream" now, as ffmpeg does.
        _stream.Write(BuildHeader(_stream.CanSeek ? 0 : long.MaxValue));
    }

    public int SampleRate { get; }

    public int Channels { get; }

    public WavSampleFormat Format { get; }

    /// <summary>Writes <paramref name="clip"/> to <paramref name="path"/> in one go.</summary>
    public static void Write(string path, AudioClip clip, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(clip);
        using var writer = new WavWriter(File.Create(path), clip.SampleRate, clip.Channels, format);
        writer.Write(clip.Samples);
    }

    /// <summary>Appends interleaved samples (a whole number of frames).</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> chunk = stackalloc byte[4096];
        int perChunk = chunk.Length / _bytesPerSample;
        while (!samples.IsEmpty)
        {
            int count = Math.Min(perChunk, samples.Length);
            for (int i = 0; i < count; i++)
            {
                Encode(samples[i], chunk.Slice(i * _bytesPerSample, _bytesPerSample));
            }

            _stream.Write(chunk[..(count * _bytesPerSample)]);
            _dataBytes += count * _bytesPerSample;
            samples = samples[count..];
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_stream.CanSeek)
        {
            _stream.Position = 0;
            _stream.Write(BuildHeader(_dataBytes));
            _stream.Position = _stream.Length;
        }

        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void Encode(float sample, Span<byte> destination)
    {
        switch (Format)
        {
            case WavSampleFormat.Pcm16:
                BinaryPrimitives.WriteInt16LittleEndian(destination, (short)Math.Round(Math.Clamp(sample, -1f, 1f) * 32767f));
                break;
            case WavSampleFormat.Pcm24:
                int value24 = (int)Math.Round(Math.Clamp(sample, -1f, 1f) * 8388607f);
                destination[0] = (byte)value24;
                destination[1] = (byte)(value24 >> 8);
                destination[2] = (byte)(value24 >> 16);
                break;
            case WavSampleFormat.Pcm32:
                BinaryPrimitives.WriteInt32LittleEndian(destination, (int)Math.Round(Math.Clamp((double)sample, -1d, 1d) * int.MaxValue));
                break;
            default:
                BinaryPrimitives.WriteSingleLittleEndian(destination, sample);
                break;
        }
    }

    private byte[] BuildHeader(long dataBytes)
    {
        // Sizes past 4 GiB cannot be expressed; 0xFFFFFFFF tells readers to take the data to the end of the file.
        uint data = dataBytes > uint.MaxValue - HeaderBytes ? uint.MaxValue : (uint)dataBytes;
        uint riff = data == uint.MaxValue ? uint.MaxValue : data + HeaderBytes - 8;
        var header = new byte[HeaderBytes];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), riff);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), (ushort)(Format == WavSampleFormat.IeeeFloat32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)(SampleRate * Channels * _bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), (ushort)(Channels * _bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), (ushort)(_bytesPerSample * 8));
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), data);
        return header;
    }
}
