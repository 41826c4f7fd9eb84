using System.Diagnostics;
using System.Threading.Channels;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs;

/// <summary>
/// A room's audio decoded once for every output that needs it: its taps (each speaker apart, or the mix) and its
/// listen URL's mix (<see cref="ListenMix"/>). Every 20 ms each live stream gives a 48 kHz mono block
/// (<see cref="StreamDecoder"/>), the blocks are summed with clipping protection into the mix, and each output takes
/// what it asked for. While no output needs decoding the loop only looks at the room ten times a second.
/// </summary>
/// <remarks>
/// Streams are lined up by arrival: each starts when its first frames have come and keeps its own timeline from
/// there, gaps filled. The mix has a stream of its own (<see cref="MixStreamId"/>), live from the first sound on while
/// the room is decoded.
/// </remarks>
internal sealed class RoomOutput : IRoomAudioObserver, IAsyncDisposable
{
    /// <summary>The mix's stream id, which no sender gets (theirs are never 0).</summary>
    public const uint MixStreamId = 0;

    private const int BlockSamples = 960;
    private static readonly TimeSpan Block = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan IdleLook = TimeSpan.FromMilliseconds(100);

    // Blocks missed while the process stalled are made up in a rush from what the decoders kept meanwhile, so a stall
    // loses no speech and the timeline stays whole (OutputCommandTests freezes the server for 1.5 s mid-sentence); a
    // tick later than this restarts the schedule instead.
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(2);
    private static readonly StreamStatus MixLabel = new(MixStreamId, AudioFormat.Default, null);

    private readonly Room _room;
    private readonly OutputMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly List<TapFeed> _feeds = [];
    private readonly Channel<SharedFrame> _inbox = Channel.CreateBounded<SharedFrame>(new BoundedChannelOptions(512) { SingleReader = true });
    private readonly Dictionary<uint, (StreamDecoder Decoder, StreamStatus Label)> _decoders = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly float[] _block = new float[BlockSamples];
    private readonly float[] _mix = new float[BlockSamples];
    private volatile bool _decoding;
    private bool _mixLive;

    public RoomOutput(Room room, RadioMetrics radio, OutputMetrics metrics)
    {
        _room = room;
        _metrics = metrics;
        Listen = new ListenMix(radio);
        _loop = Task.Run(RunAsync);
        room.AddObserver(this);
    }

    /// <summary>The players of the room's listen URL.</summary>
    public ListenMix Listen { get; }

    /// <summary>True when neither players nor taps use this output.</summary>
    public bool Unused
    {
        get
        {
            lock (_gate)
            {
                return Listen.SubscriberCount == 0 && _feeds.Count == 0;
            }
        }
    }

    public void AddTap(Participant tap, TapMode mode, int sampleRate)
    {
        lock (_gate)
        {
            var feed = _feeds.Find(f => f.Mode == mode && f.SampleRate == sampleRate);
            if (feed is null)
            {
                feed = new TapFeed(mode, sampleRate, _metrics);
                _feeds.Add(feed);
            }

            feed.Add(tap);
        }
    }

    public void RemoveTap(Participant tap)
    {
        lock (_gate)
        {
            foreach (var feed in _feeds)
            {
                if (feed.Remove(tap) && feed.Count == 0)
                {
                    _feeds.Remove(feed);
                    break;
                }
            }
        }
    }

    public void OnAudio(SharedFrame frame)
    {
        if (!_decoding)
        {
            return;
        }

        frame.AddReferences(1);
        if (!_inbox.Writer.TryWrite(frame))
        {
            // The loop fell behind: the frame is left out, counted.
            frame.Release();
            _metrics.FramesDiscarded(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _room.RemoveObserver(this);
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        StopDecoding();
        Listen.Dispose();
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
                TapFeed[] feeds;
                lock (_gate)
                {
                    feeds = [.. _feeds];
                }

                bool listen = Listen.Needed([.. live.Values.Select(s => s.Format)]);
                if (listen != Listen.Active)
                {
                    if (listen)
                    {
                        Listen.Start();
                    }
                    else
                    {
                        Listen.Stop();
                    }
                }

                bool decode = listen || feeds.Length > 0;
                if (decode != _decoding)
                {
                    _decoding = decode;
                    due = clock.Elapsed;
                    if (!decode)
                    {
                        StopDecoding();
                        _mixLive = false;
                    }
                }

                if (!_decoding)
                {
                    await Task.Delay(IdleLook, _stop.Token);
                    continue;
                }

                Decode(live);
                Produce(feeds);
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
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Dictionary<uint, StreamStatus> LiveStreams()
    {
        var live = new Dictionary<uint, StreamStatus>();
        foreach (var stream in _room.Status().Streams)
        {
            live[stream.StreamId] = stream;
        }

        return live;
    }

    // Everything that came since the last block goes into its stream's decoder.
    private void Decode(Dictionary<uint, StreamStatus> live)
    {
        bool refreshed = false;
        bool Refresh(Dictionary<uint, StreamStatus> streams)
        {
            refreshed = true;
            streams.Clear();
            foreach (var (id, stream) in LiveStreams())
            {
                streams[id] = stream;
            }

            return true;
        }

        while (_inbox.Reader.TryRead(out var frame))
        {
            try
            {
                var message = frame.Payload.Span;
                if (AudioFrameHeader.TryRead(message, out var header) != FrameError.None)
                {
                    continue;
                }

                // A stream's last frame (end-of-stream) finds the stream already stopped, but its decoder still there;
                // a stream's first frame may have come after the look at the room's streams: the room is asked again.
                if (!_decoders.TryGetValue(header.StreamId, out var entry))
                {
                    if (!live.TryGetValue(header.StreamId, out var label) && (refreshed || !Refresh(live) || !live.TryGetValue(header.StreamId, out label)))
                    {
                        continue;
                    }

                    entry = (new StreamDecoder(label.Format), label);
                    _decoders[header.StreamId] = entry;
                    _metrics.DecodingChanged(1);
                }

                if (entry.Label.Format.Codec != header.Codec)
                {
                    continue;
                }

                entry.Decoder.Add(header, message[ProtocolConstants.HeaderSize..]);
            }
            finally
            {
                frame.Release();
            }
        }

        // A stream no longer live plays out what it has, then ends; one that never started ends at once.
        foreach (var (id, (decoder, label)) in _decoders.ToList())
        {
            if (!live.ContainsKey(id) && (decoder.Drained || !decoder.Playing))
            {
                End(id, decoder, label);
            }
        }
    }

    private void Produce(TapFeed[] feeds)
    {
        Array.Clear(_mix);
        bool any = false;
        long capture = 0;
        foreach (var (decoder, label) in _decoders.Values)
        {
            if (!decoder.Take(_block, out long blockCapture))
            {
                continue;
            }

            any = true;
            capture = Math.Max(capture, blockCapture);
            for (int i = 0; i < BlockSamples; i++)
            {
                _mix[i] += _block[i];
            }

            foreach (var feed in feeds)
            {
                if (feed.Mode == TapMode.PerSpeaker)
                {
                    feed.Send(label, _block, blockCapture);
                }
            }
        }

        if (any)
        {
            SoftClip(_mix);
        }

        // The mix's timeline runs from the first sound on, silence when nobody speaks, for as long as it is decoded.
        _mixLive |= any;
        foreach (var feed in feeds)
        {
            if (feed.Mode == TapMode.Mix && _mixLive)
            {
                feed.Send(MixLabel, _mix, capture);
            }
        }

        if (Listen.Active)
        {
            Listen.Send(_mix, capture);
        }
    }

    private void End(uint id, StreamDecoder decoder, StreamStatus label)
    {
        var reason = decoder.Ended ? StreamStopReason.EndOfStream : StreamStopReason.Idle;
        TapFeed[] feeds;
        lock (_gate)
        {
            feeds = [.. _feeds];
        }

        foreach (var feed in feeds)
        {
            feed.End(label, reason);
        }

        decoder.Dispose();
        _decoders.Remove(id);
        _metrics.DecodingChanged(-1);
        _metrics.FramesDiscarded(decoder.Discarded);
    }

    private void StopDecoding()
    {
        foreach (var (id, (decoder, label)) in _decoders.ToList())
        {
            End(id, decoder, label);
        }

        while (_inbox.Reader.TryRead(out var frame))
        {
            frame.Release();
        }
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
