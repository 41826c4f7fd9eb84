using System.Diagnostics;
using System.Threading.Channels;
using WsAudio.Audio.Opus;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs;

/// <summary>
/// A room's audio mixed once for all its subscribers (the listen URL's players): while the room has more than one
/// live stream, or a PCM stream, every stream is decoded, mixed every 20 ms at 48 kHz mono with clipping protection,
/// and encoded to Opus once; each subscriber gets the same frames, stream id <see cref="StreamId"/>. Otherwise the
/// mix is idle and costs a look at the room ten times a second: one Opus stream reaches players as it was sent.
/// </summary>
/// <remarks>
/// Streams are lined up by arrival: each plays from when its first frames came, through a 40 ms buffer that absorbs
/// the network's jitter (<see cref="StreamDecoder"/>). A stream that pauses is silence in the mix, so the mix's
/// timeline stays true.
/// </remarks>
internal sealed class RoomMix : IRoomAudioObserver, IAsyncDisposable
{
    /// <summary>The mix's stream id, which no sender gets (theirs are never 0).</summary>
    public const uint StreamId = 0;

    private const int BlockSamples = 960;
    private static readonly TimeSpan Block = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan IdleLook = TimeSpan.FromMilliseconds(100);

    // A tick this late restarts the schedule instead of producing the missed blocks in a rush.
    private static readonly TimeSpan Resync = TimeSpan.FromMilliseconds(200);

    private readonly Room _room;
    private readonly RadioMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly List<OutboundQueue> _subscribers = [];
    private readonly Channel<SharedFrame> _inbox = Channel.CreateBounded<SharedFrame>(new BoundedChannelOptions(512) { SingleReader = true });
    private readonly Dictionary<uint, StreamDecoder> _decoders = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly float[] _mix = new float[BlockSamples];
    private readonly byte[] _frame = new byte[ProtocolConstants.HeaderSize + OpusEncoder.MaxPacketBytes];
    private OpusEncoder? _encoder;
    private volatile bool _mixing;
    private uint _sequence;
    private long _dropped;

    public RoomMix(Room room, RadioMetrics metrics)
    {
        _room = room;
        _metrics = metrics;
        _loop = Task.Run(RunAsync);
        room.AddObserver(this);
    }

    /// <summary>Frames that did not fit the mix's inbox (it fell behind) and were left out.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Subscribe(OutboundQueue subscriber)
    {
        lock (_gate)
        {
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Returns the subscribers left.</summary>
    public int Unsubscribe(OutboundQueue subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
            return _subscribers.Count;
        }
    }

    public void OnAudio(SharedFrame frame)
    {
        if (!_mixing)
        {
            return;
        }

        frame.AddReferences(1);
        if (!_inbox.Writer.TryWrite(frame))
        {
            frame.Release();
            Interlocked.Increment(ref _dropped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _room.RemoveObserver(this);
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        foreach (var decoder in _decoders.Values)
        {
            decoder.Dispose();
        }

        _encoder?.Dispose();
    }

    private async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var due = TimeSpan.Zero;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var live = LiveStreams();
                bool needed = live.Count > 1 || live.Values.Any(f => f.Codec == AudioCodec.Pcm16);
                if (needed != _mixing)
                {
                    _mixing = needed;
                    if (needed)
                    {
                        _metrics.MixStarted();
                    }
                    else
                    {
                        Stopped();
                    }

                    due = clock.Elapsed;
                }

                if (!_mixing)
                {
                    await Task.Delay(IdleLook, _stop.Token);
                    continue;
                }

                due += Block;
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token);
                }
                else if (-wait > Resync)
                {
                    due = clock.Elapsed;
                }

                Decode(live);
                MixAndSend();
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (_mixing)
        {
            _metrics.MixStopped();
        }

        while (_inbox.Reader.TryRead(out var frame))
        {
            frame.Release();
        }
    }

    private Dictionary<uint, AudioFormat> LiveStreams()
    {
        var live = new Dictionary<uint, AudioFormat>();
        foreach (var stream in _room.Status().Streams)
        {
            live[stream.StreamId] = stream.Format;
        }

        return live;
    }

    // Everything that came since the last block goes into its stream's buffer; streams that stopped are let go.
    private void Decode(Dictionary<uint, AudioFormat> live)
    {
        while (_inbox.Reader.TryRead(out var frame))
        {
            try
            {
                var message = frame.Payload.Span;
                if (AudioFrameHeader.TryRead(message, out var header) != FrameError.None || !live.TryGetValue(header.StreamId, out var format) || format.Codec != header.Codec)
                {
                    continue;
                }

                if (!_decoders.TryGetValue(header.StreamId, out var decoder))
                {
                    decoder = new StreamDecoder(format);
                    _decoders[header.StreamId] = decoder;
                }

                decoder.Add(header.Sequence, message[ProtocolConstants.HeaderSize..]);
            }
            catch (OpusException)
            {
                // A packet libopus cannot decode: that stream misses a frame, the mix goes on.
            }
            finally
            {
                frame.Release();
            }
        }

        foreach (uint gone in _decoders.Keys.Where(id => !live.ContainsKey(id)).ToList())
        {
            _decoders[gone].Dispose();
            _decoders.Remove(gone);
        }
    }

    private void MixAndSend()
    {
        Array.Clear(_mix);
        foreach (var decoder in _decoders.Values)
        {
            decoder.MixInto(_mix);
        }

        SoftClip(_mix);
        _encoder ??= new OpusEncoder(new OpusEncoderOptions { Application = OpusApplication.Audio, Bitrate = 64_000 });
        int length = _encoder.Encode(_mix, _frame.AsSpan(ProtocolConstants.HeaderSize));
        long now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        uint sequence = _sequence++;
        new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, StreamId, sequence, sequence * BlockSamples, now).Write(_frame);
        Send(SharedFrame.RentAudio(_frame.AsSpan(0, ProtocolConstants.HeaderSize + length)));
    }

    // The subscribers carry a sender's stream again: tell them the mix stopped, as a room tells of any stream.
    private void Stopped()
    {
        _metrics.MixStopped();
        byte[] json = ControlMessageSerializer.Serialize(new StreamStoppedMessage { StreamId = StreamId, ParticipantId = string.Empty, Reason = StreamStopReason.Idle });
        Send(SharedFrame.ForText(json));
        foreach (var decoder in _decoders.Values)
        {
            decoder.Dispose();
        }

        _decoders.Clear();
        _encoder?.Reset();
        while (_inbox.Reader.TryRead(out var frame))
        {
            frame.Release();
        }
    }

    private void Send(SharedFrame shared)
    {
        lock (_gate)
        {
            shared.AddReferences(_subscribers.Count);
            foreach (var subscriber in _subscribers)
            {
                var result = shared.IsAudio ? subscriber.EnqueueForPool(shared) : subscriber.Enqueue(shared);
                if (result == EnqueueResult.Rejected)
                {
                    shared.Release();
                }
            }
        }

        shared.Release();
    }

    // Peaks above 0.9 are bent smoothly towards 1 instead of wrapping or clipping hard.
    private static void SoftClip(Span<float> samples)
    {
        const float knee = 0.9f;
        for (int i = 0; i < samples.Length; i++)
        {
            float x = samples[i];
            float magnitude = Math.Abs(x);
            if (magnitude > knee)
            {
                samples[i] = Math.Sign(x) * (knee + ((1 - knee) * MathF.Tanh((magnitude - knee) / (1 - knee))));
            }
        }
    }
}
