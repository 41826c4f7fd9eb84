using System.Buffers.Binary;

namespace WsAudio.Client.Playback;

/// <summary>Writes raw signed 16-bit little-endian 48 kHz mono PCM to a stream (e.g. standard output).</summary>
public sealed class PcmStreamSink : IAudioSink
{
    private readonly Stream _stream;

    public PcmStreamSink(Stream stream)
    {
        _stream = stream;
    }

    public void Write(ReadOnlySpan<float> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * 32767f));
        }

        _stream.Write(bytes);
        _stream.Flush();
    }

    public void Dispose() => _stream.Flush();
}
