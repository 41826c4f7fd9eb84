using System.Diagnostics;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Access;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;
using WsAudio.Server.Ogg;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Radio.Sources;

/// <summary>
/// One accepted Icecast source: reads its Ogg Opus stream, joins the room as a broadcaster once the stream's
/// header says mono or stereo, and publishes each Opus packet as a frame at the pace of its media time.
/// </summary>
/// <remarks>
/// Source tools write whole Ogg pages, which ffmpeg fills with a second of packets by default; published as they
/// come, a second's frames would reach listeners at once and then nothing for a second. Publishing each at its
/// media time gives listeners the 20 ms cadence of any other sender, and a source that sends faster than real
/// time (no <c>-re</c>) is slowed by TCP instead of flooding the room.
/// </remarks>
internal sealed class IcecastSource
{
    // How late a packet may be before the pace starts again from it (the source stalled, the network hiccuped):
    // without this, everything after a stall would go out at once to catch up with the old schedule.
    private static readonly TimeSpan Resync = TimeSpan.FromMilliseconds(500);

    private readonly RoomRegistry _registry;
    private readonly string _room;
    private readonly Admission _admission;
    private readonly TimeSpan _timeout;
    private readonly RelayOptions _relay;
    private readonly ILogger _logger;
    private StreamMetadata _metadata;
    private string? _evicted;
    private long _packets;

    public IcecastSource(RoomRegistry registry, string room, Admission admission, StreamMetadata metadata, TimeSpan timeout, RelayOptions relay, ILogger logger)
    {
        _registry = registry;
        _room = room;
        _admission = admission;
        _metadata = metadata;
        _timeout = timeout;
        _relay = relay;
        _logger = logger;
    }

    /// <summary>Plays the source's stream until it ends; true when it ended cleanly (its body ended after whole pages).</summary>
    public async Task<bool> RunAsync(Stream body, string remote, CancellationToken stop)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var reader = new OggPacketReader(body, _relay.MaxMessageBytes - ProtocolConstants.HeaderSize);
        Room? room = null;
        Participant? participant = null;
        OutboundQueue? outbound = null;
        string reason = "the source ended its stream";
        var leave = LeaveReason.Left;
        try
        {
            int channels = await ReadStreamHeadersAsync(reader, ending);
            outbound = new OutboundQueue(_relay.QueueDepth, _relay.MaxPendingControlMessages);
            participant = new Participant(_metadata.Name ?? "Icecast source", ParticipantRole.Broadcaster, new AudioFormat { Channels = channels }, outbound, _admission, Evict)
            {
                Metadata = _metadata,
                Transport = Participant.IcecastTransport,
            };
            (room, string? refusal) = _registry.Join(_room, participant);
            if (room is null)
            {
                reason = refusal == ErrorCodes.RoomFull ? "the room is full" : "the server has as many rooms as it allows";
                return false;
            }

            RadioLog.SourceStarted(_logger, _room, participant.Id, remote, channels, LogText.Clean(_metadata.Name ?? string.Empty));
            _ = DiscardAsync(outbound);
            await PlayAsync(reader, room, participant, ending);
            return true;
        }
        catch (OggStreamException ex)
        {
            (reason, leave) = (ex.Message, LeaveReason.Disconnected);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested && _evicted is null)
        {
            (reason, leave) = ($"nothing received for {_timeout.TotalSeconds:0.#} s", LeaveReason.Disconnected);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            (reason, leave) = (_evicted ?? (stop.IsCancellationRequested ? "the server is shutting down" : ex.Message), LeaveReason.Disconnected);
        }
        finally
        {
            if (room is not null)
            {
                _registry.Leave(room, participant!, leave);
            }

            outbound?.Finish();
            RadioLog.SourceEnded(_logger, _room, participant?.Id ?? "-", LogText.Clean(reason), reader.BytesRead, _packets);
        }

        return false;

        void Evict(string code, int closeCode, string message)
        {
            _evicted = message;
            ending.Cancel();
        }
    }

    // The stream's identification and comment headers; returns its channel count.
    private async Task<int> ReadStreamHeadersAsync(OggPacketReader reader, CancellationTokenSource ending)
    {
        var head = await NextAsync(reader, ending) ?? throw new OggStreamException("the stream ended before its first page");
        if (!head.StartsStream)
        {
            throw new OggStreamException("the stream does not begin with a beginning-of-stream page");
        }

        int channels = OpusHeaders.ReadHead(head.Data.Span, out string? problem);
        if (channels == 0)
        {
            throw new OggStreamException(problem!);
        }

        reader.Following = head.Serial;
        ReadTags(await NextAsync(reader, ending) ?? throw new OggStreamException("the stream ended before its OpusTags packet"));
        return channels;
    }

    private void ReadTags(OggPacket tags)
    {
        if (!tags.Data.Span.StartsWith("OpusTags"u8))
        {
            throw new OggStreamException("the second packet of the Opus stream is not OpusTags");
        }

        _metadata = _metadata with { Title = OpusHeaders.ReadTitle(tags.Data.Span) };
    }

    private async Task PlayAsync(OggPacketReader reader, Room room, Participant participant, CancellationTokenSource ending)
    {
        var frame = new byte[_relay.MaxMessageBytes];
        var clock = Stopwatch.StartNew();
        long media = 0;
        TimeSpan anchor = TimeSpan.Zero;
        uint sequence = 0;
        while (await NextAsync(reader, ending) is { } packet)
        {
            if (packet.StartsStream)
            {
                // A chained stream begins (a source changing track or title): its headers, then its audio.
                if (OpusHeaders.ReadHead(packet.Data.Span, out string? problem) == 0)
                {
                    throw new OggStreamException(problem!);
                }

                reader.Following = packet.Serial;
                ReadTags(await NextAsync(reader, ending) ?? throw new OggStreamException("the stream ended before its OpusTags packet"));
                participant.Metadata = _metadata;
                continue;
            }

            if (packet.EndsStream)
            {
                reader.Following = null;
            }

            int samples = OpusPacket.Samples(packet.Data.Span);
            if (samples == 0)
            {
                continue;
            }

            var due = anchor + TimeSpan.FromTicks(media * TimeSpan.TicksPerSecond / 48000);
            var now = clock.Elapsed;
            if (_packets == 0 || now - due > Resync)
            {
                anchor = now - (due - anchor);
            }
            else if (due - now > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due - now, ending.Token);
            }

            var header = new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, participant.StreamId!.Value, sequence++, unchecked((uint)media), CaptureClock.NowMicros());
            int length = header.WriteFrame(frame, packet.Data.Span);
            room.PublishAudio(participant, frame.AsSpan(0, length), endOfStream: false);
            media += samples;
            _packets++;
        }
    }

    // The next packet, the source's timeout counted afresh for each.
    private async ValueTask<OggPacket?> NextAsync(OggPacketReader reader, CancellationTokenSource ending)
    {
        ending.CancelAfter(_timeout);
        return await reader.ReadAsync(ending.Token);
    }

    // A broadcaster is told of the room's presence changes; a source has no use for them.
    private static async Task DiscardAsync(OutboundQueue outbound)
    {
        var batch = new List<SharedFrame>();
        while (!outbound.IsClosed || outbound.Count > 0)
        {
            if (!outbound.TryDequeue(batch, 64, out _))
            {
                await outbound.WaitAsync();
                continue;
            }

            foreach (var frame in batch)
            {
                frame.Release();
            }

            batch.Clear();
        }
    }
}
