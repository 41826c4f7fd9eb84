using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Access;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;
using WsAudio.Server.Ogg;
using WsAudio.Server.Outputs;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Radio;

/// <summary>
/// <c>GET /rooms/{room}/stream.ogg</c>: the room's live audio for any player, as one endless Ogg Opus stream
/// (RFC 7845). The listener is a member of the room like a WebSocket listener, with the same queue, limits and
/// token (<c>?token=</c>, since players cannot set headers); its pages are built from the room's frames as they
/// arrive, one 20 ms packet per page.
/// </summary>
/// <remarks>
/// The stream carries the room as one stream: the room's only Opus stream as its sender sent it, or, while the
/// room has several live streams or a PCM one, the room's mix (<see cref="RoomOutput"/>), encoded once for all
/// players. When the stream carried stops, the next takes over, in the same Ogg stream (players do not follow
/// chained streams).
/// Before anyone is live the listener gets the headers and then waits. A listener that comes while a stream is
/// live starts with the room's last <see cref="RadioOptions.ListenBurst"/> of it at once, so that its player starts
/// playing without first filling its buffer in real time.
/// </remarks>
internal sealed class OggListenEndpoint
{
    private const int MaxBatch = 64;

    // Stereo is declared up front, before the sender is known: a decoder set up for two channels plays mono
    // packets as well (RFC 7845 §5.1), and a later sender may be stereo.
    private const int DeclaredChannels = 2;

    private readonly RoomRegistry _rooms;
    private readonly TokenValidator _tokens;
    private readonly RelayOptions _relay;
    private readonly LimitsOptions _limits;
    private readonly ListenBurst _burst;
    private readonly RoomOutputs _mixes;
    private readonly RadioMetrics _metrics;
    private readonly ILogger _logger;

    public OggListenEndpoint(RoomRegistry rooms, TokenValidator tokens, IOptions<RelayOptions> relay, IOptions<LimitsOptions> limits, ListenBurst burst, RoomOutputs mixes, RadioMetrics metrics, ILogger<OggListenEndpoint> logger)
    {
        _metrics = metrics;
        _rooms = rooms;
        _burst = burst;
        _mixes = mixes;
        _tokens = tokens;
        _relay = relay.Value;
        _limits = limits.Value;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context, string room)
    {
        if (!RoomName.IsValid(room))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRoom, "room names are 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
            return;
        }

        var (admission, error, reason) = _tokens.Admit(context.Request.Query["token"].FirstOrDefault(), room);
        if (admission is null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, error!, reason!);
            return;
        }

        if (!admission.Has(Grants.Subscribe))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "listening needs the grant subscribe, which the token does not give");
            return;
        }

        context.Response.ContentType = "audio/ogg";
        context.Response.Headers.CacheControl = "no-cache, no-store";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var aborted = context.RequestAborted;
        var outbound = new OutboundQueue(_relay.QueueDepth, _relay.MaxPendingControlMessages, _limits.SlowConsumerTimeout, owner: new ListenerAbort(context));
        var participant = new Participant(admission.Name ?? "HTTP listener", ParticipantRole.Listener, AudioFormat.Default, outbound, admission, (_, _, _) => context.Abort())
        {
            Transport = Participant.HttpTransport,
        };
        var (joined, refusal) = _rooms.Join(room, participant);
        if (joined is null)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, refusal!, refusal == ErrorCodes.RoomFull ? $"room '{room}' is full" : "this server has as many rooms as it allows");
            return;
        }

        RadioLog.ListenerJoined(_logger, room, participant.Id);
        using var closing = aborted.UnsafeRegister(static queue => ((OutboundQueue)queue!).Close(discardQueued: true), outbound);
        List<SharedFrame> burst = [];
        if (_burst.Capacity > 0)
        {
            // Taken after the join: a frame is in the burst, in the queue, or both (written once: see WritePages).
            joined.KeepRecentAudio(_burst.Capacity);
            burst = joined.RecentFrames(_burst.Window);
        }

        _mixes.Subscribe(joined, outbound);
        _metrics.ListenerJoined();
        try
        {
            await StreamAsync(context.Response.Body, room, burst, outbound, _metrics, aborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The player went away.
        }
        finally
        {
            _metrics.ListenerLeft();
            await _mixes.UnsubscribeAsync(joined, outbound);
            _rooms.Leave(joined, participant, LeaveReason.Disconnected);
            outbound.Finish();
            RadioLog.ListenerLeft(_logger, room, participant.Id, outbound.Dropped);
        }
    }

    private static async Task StreamAsync(Stream body, string room, List<SharedFrame> burst, OutboundQueue outbound, RadioMetrics metrics, CancellationToken aborted)
    {
        var pages = new OggPageWriter((uint)Random.Shared.Next());
        // Grown by WritePages when a burst or a backlog needs more: most writes are one 100-byte page.
        var buffer = new byte[4 * 1024];
        var state = new SenderState();
        int length = pages.WritePage(buffer, OpusHeaders.Head(DeclaredChannels), granule: 0);
        length += pages.WritePage(buffer.AsSpan(length), OpusHeaders.Tags(room), granule: 0);
        try
        {
            length += WritePages(burst, pages, state, ref buffer, length);
        }
        finally
        {
            foreach (var frame in burst)
            {
                frame.Release();
            }
        }

        await body.WriteAsync(buffer.AsMemory(0, length), aborted);
        await body.FlushAsync(aborted);

        var batch = new List<SharedFrame>(MaxBatch);
        while (!outbound.IsClosed || outbound.Count > 0)
        {
            if (!outbound.TryDequeue(batch, MaxBatch, out _))
            {
                await outbound.WaitAsync();
                continue;
            }

            try
            {
                length = WritePages(batch, pages, state, ref buffer, start: 0);
            }
            finally
            {
                foreach (var frame in batch)
                {
                    frame.Release();
                }

                batch.Clear();
            }

            if (length > 0)
            {
                await body.WriteAsync(buffer.AsMemory(0, length), aborted);
                await body.FlushAsync(aborted);
                metrics.PagesWritten(state.Pages);
                state.Pages = 0;
            }
        }
    }

    // One page per packet of the sender being carried, from start in buffer (grown if need be); returns the bytes
    // written. A frame of the burst that also came through the queue is written once: sequence numbers tell.
    private static int WritePages(List<SharedFrame> batch, OggPageWriter pages, SenderState state, ref byte[] buffer, int start)
    {
        int length = start;
        foreach (var frame in batch)
        {
            var message = frame.Payload.Span;
            if (frame.Kind == FrameKind.Text)
            {
                // The stream carried stops: the next sender to go live takes over.
                if (state.Stream is { } stream && ControlMessageSerializer.TryRead(message, MessageSender.Server, out var control, out _) == ReadStatus.Ok &&
                    control is StreamStoppedMessage stopped && stopped.StreamId == stream)
                {
                    state.Stream = null;
                    state.Written = null;
                }

                continue;
            }

            if (!frame.IsAudio || AudioFrameHeader.TryRead(message, out var header) != FrameError.None || header.Codec != AudioCodec.Opus)
            {
                continue;
            }

            if (header.StreamId == RoomOutput.MixStreamId && state.Stream != RoomOutput.MixStreamId)
            {
                // The room's mix began (a second stream, or a PCM one): it carries the whole room from now on.
                (state.Stream, state.Written) = (RoomOutput.MixStreamId, null);
            }

            state.Stream ??= header.StreamId;
            var packet = message[ProtocolConstants.HeaderSize..];
            int samples = OpusPacket.Samples(packet);
            if (header.StreamId != state.Stream || samples == 0 || (state.Written is { } written && (int)(header.Sequence - written) <= 0))
            {
                continue;
            }

            state.Written = header.Sequence;
            state.Pages++;
            if (length + OggPageWriter.MaxPageSize(packet.Length) > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + OggPageWriter.MaxPageSize(packet.Length)));
            }

            state.Granule += samples;
            length += pages.WritePage(buffer.AsSpan(length), packet, state.Granule);
        }

        return length - start;
    }

    private static async Task RefuseAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(ControlMessageSerializer.Serialize(new ErrorMessage { Code = code, Message = message }));
    }

    // Which sender the listener's Ogg stream carries, and where its granule position stands.
    private sealed class SenderState
    {
        public uint? Stream { get; set; }

        /// <summary>Audio pages written, for the metrics.</summary>
        public int Pages { get; set; }

        /// <summary>Sequence number of the carried stream's last packet written.</summary>
        public uint? Written { get; set; }

        public long Granule { get; set; }
    }
}
