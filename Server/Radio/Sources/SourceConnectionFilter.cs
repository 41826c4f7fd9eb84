using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Radio.Sources;

/// <summary>
/// Kestrel connection middleware on plain-HTTP endpoints: a connection whose first bytes are a source's request
/// (<c>PUT /rooms/</c> or <c>SOURCE </c>) goes to <see cref="IcecastSourceHandler"/>; every other goes on to HTTP
/// with nothing consumed. Sources therefore use the same port as listeners, as with Icecast.
/// </summary>
internal sealed class SourceConnectionFilter
{
    private readonly IcecastSourceHandler _sources;
    private readonly TimeSpan _firstBytesTimeout;

    public SourceConnectionFilter(IcecastSourceHandler sources, IOptions<NetworkOptions> network)
    {
        _sources = sources;

        // Kestrel gives a connection this long for its first request; the filter waits no longer for the bytes
        // that start it.
        _firstBytesTimeout = network.Value.KeepAliveTimeout;
    }

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        switch (await PeekAsync(connection.Transport.Input))
        {
            case true:
                await _sources.HandleAsync(connection);
                return;
            case false:
                await next(connection);
                return;
            default:
                // No bytes in time, or the client left: as Kestrel would, close.
                return;
        }
    }

    // True for a source, false for anything else, null when the first bytes never came. Consumes nothing.
    private async ValueTask<bool?> PeekAsync(PipeReader input)
    {
        while (true)
        {
            var pending = input.ReadAsync();
            ReadResult result;
            if (pending.IsCompleted)
            {
                result = pending.Result;
            }
            else
            {
                using var timer = new CancellationTokenSource(_firstBytesTimeout);
                using (timer.Token.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), input))
                {
                    result = await pending;
                }

                // A cancel that fired just as the bytes came would cancel Kestrel's first read instead: the
                // connection took its whole allowance anyway.
                if (timer.IsCancellationRequested)
                {
                    return null;
                }
            }

            var buffer = result.Buffer;
            bool source = SourceRequest.MayBegin(First(buffer), out bool known);
            if (known || result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                return result.IsCanceled ? null : source && known;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ReadOnlySpan<byte> First(ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= 16 || buffer.IsSingleSegment)
        {
            return first;
        }

        return buffer.Slice(0, Math.Min(buffer.Length, 16)).ToArray();
    }
}
