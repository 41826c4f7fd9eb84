using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace WsAudio.Server.Transport;

/// <summary>
/// A connection's incoming bytes as a read-only stream over Kestrel's input pipe, under a WebSocket whose handshake
/// was answered before HTTP (its writes go to the connection's queue, see <see cref="WireStream"/>).
/// </summary>
/// <remarks>
/// A read that finds bytes waiting completes at once; one that must wait reuses pooled state, as the HTTP server's
/// own upgraded stream does, so a connection that sends a frame every 20 ms allocates nothing per frame.
/// </remarks>
internal sealed class PipeReadStream(PipeReader input) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (input.TryRead(out var result))
        {
            if (!result.IsCanceled && (!result.Buffer.IsEmpty || result.IsCompleted))
            {
                return new ValueTask<int>(Take(result, buffer.Span));
            }

            input.AdvanceTo(result.Buffer.Start);
        }

        return ReadWaitingAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Complete();
        }

        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadWaitingAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            if (result.IsCanceled)
            {
                input.AdvanceTo(result.Buffer.Start);
                throw new OperationCanceledException("the read was canceled");
            }

            if (!result.Buffer.IsEmpty || result.IsCompleted)
            {
                return Take(result, buffer.Span);
            }

            input.AdvanceTo(result.Buffer.Start);
        }
    }

    // Copies what fits and leaves the rest in the pipe; 0 once the client has finished sending.
    private int Take(ReadResult result, Span<byte> destination)
    {
        var source = result.Buffer;
        int count = (int)Math.Min(source.Length, destination.Length);
        source.Slice(0, count).CopyTo(destination);
        input.AdvanceTo(source.GetPosition(count));
        return count;
    }
}
