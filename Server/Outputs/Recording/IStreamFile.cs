using WsAudio.Protocol.Framing;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>One stream of a recording on disk, playable up to its last write at any moment.</summary>
internal interface IStreamFile : IDisposable
{
    /// <summary>Bytes written so far.</summary>
    long Bytes { get; }

    /// <summary>Writes one frame's payload as it came; throws <see cref="IOException"/> when the disk refuses.</summary>
    void Write(in AudioFrameHeader header, ReadOnlySpan<byte> payload);

    /// <summary>Finishes the file (end-of-stream mark, final sizes).</summary>
    void Close();
}
