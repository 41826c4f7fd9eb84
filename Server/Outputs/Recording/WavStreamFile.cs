using System.Buffers.Binary;
using WsAudio.Protocol.Framing;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>
/// A PCM 16 stream recorded as WAV, the samples as they came. While it is written its header gives the sizes as
/// unknown (0xFFFFFFFF, as streaming writers do), so players read it to its end; closing writes the real sizes.
/// </summary>
internal sealed class WavStreamFile : IStreamFile
{
    private const int HeaderSize = 44;
    private readonly FileStream _file;

    public WavStreamFile(string path, int sampleRate, int channels)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[HeaderSize];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], uint.MaxValue);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], uint.MaxValue);
        _file.Write(header);
    }

    public long Bytes { get; private set; } = HeaderSize;

    public void Write(in AudioFrameHeader header, ReadOnlySpan<byte> payload)
    {
        var samples = payload[..(payload.Length & ~1)];
        _file.Write(samples);
        Bytes += samples.Length;
    }

    public void Close()
    {
        long data = _file.Length - HeaderSize;
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)Math.Min(uint.MaxValue, data + HeaderSize - 8));
        _file.Position = 4;
        _file.Write(size);
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)Math.Min(uint.MaxValue, data));
        _file.Position = 40;
        _file.Write(size);
        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();
}
