using System.Buffers.Binary;
using WsAudio.Audio;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs;

/// <summary>
/// The taps of one room that asked for the same mode and sample rate: each block is resampled and framed once, as
/// PCM 16 (v1 header, codec pcm16), and queued for all of them. A tap's queue drops its oldest audio when the tap
/// reads too slowly, like any receiver's; the room never waits for it.
/// </summary>
internal sealed class TapFeed
{
    private readonly Lock _gate = new();
    private readonly List<Subscriber> _taps = [];
    private readonly Dictionary<uint, Output> _streams = [];
    private readonly OutputMetrics _metrics;
    private readonly byte[] _frame;

    public TapFeed(TapMode mode, int sampleRate, OutputMetrics metrics)
    {
        Mode = mode;
        SampleRate = sampleRate;
        _metrics = metrics;
        _frame = new byte[ProtocolConstants.HeaderSize + (2 * sampleRate / 50) + 64];
    }

    public TapMode Mode { get; }

    public int SampleRate { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _taps.Count;
            }
        }
    }

    public void Add(Participant tap)
    {
        lock (_gate)
        {
            _taps.Add(new Subscriber(tap));
        }
    }

    public bool Remove(Participant tap)
    {
        lock (_gate)
        {
            return _taps.RemoveAll(s => ReferenceEquals(s.Tap, tap)) > 0;
        }
    }

    /// <summary>
    /// Queues the next 20 ms of <paramref name="label"/>'s stream (48 kHz mono) for every tap, telling each tap that
    /// has not heard of the stream yet with a <c>stream-started</c> first.
    /// </summary>
    public void Send(StreamStatus label, ReadOnlySpan<float> block, long captureMicros)
    {
        if (!_streams.TryGetValue(label.StreamId, out var output))
        {
            output = new Output(SampleRate == 48000 ? null : new Resampler(48000, SampleRate));
            _streams[label.StreamId] = output;
        }

        ReadOnlySpan<float> samples = output.Resampler is null ? block : output.Resampler.Process(block);
        if (samples.IsEmpty)
        {
            return;
        }

        var payload = _frame.AsSpan(ProtocolConstants.HeaderSize, 2 * samples.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            float clamped = Math.Clamp(samples[i], -1f, 1f);
            BinaryPrimitives.WriteInt16LittleEndian(payload[(2 * i)..], (short)MathF.Round(clamped * 32767f));
        }

        new AudioFrameHeader(AudioCodec.Pcm16, FrameFlags.None, label.StreamId, output.Sequence++, output.Timestamp, captureMicros).Write(_frame);
        output.Timestamp += (uint)samples.Length;
        var shared = SharedFrame.RentAudio(_frame.AsSpan(0, ProtocolConstants.HeaderSize + payload.Length));
        lock (_gate)
        {
            foreach (var subscriber in _taps)
            {
                if (subscriber.Announced.Add(label.StreamId))
                {
                    subscriber.Tap.Outbound.EnqueueMessage(new StreamStartedMessage
                    {
                        StreamId = label.StreamId,
                        ParticipantId = label.ParticipantId,
                        Name = label.Name,
                        Format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = SampleRate, Channels = 1 },
                    });
                }

                shared.AddReferences(1);
                switch (subscriber.Tap.Outbound.EnqueueForPool(shared))
                {
                    case EnqueueResult.Rejected:
                        shared.Release();
                        break;
                    case EnqueueResult.QueuedDroppedOldest:
                        _metrics.TapFrameDropped();
                        break;
                }
            }
        }

        shared.Release();
    }

    /// <summary>The stream ended: every tap that heard of it is told with a <c>stream-stopped</c>.</summary>
    public void End(StreamStatus label, StreamStopReason reason)
    {
        _streams.Remove(label.StreamId);
        lock (_gate)
        {
            foreach (var subscriber in _taps)
            {
                if (subscriber.Announced.Remove(label.StreamId))
                {
                    subscriber.Tap.Outbound.EnqueueMessage(new StreamStoppedMessage { StreamId = label.StreamId, ParticipantId = label.ParticipantId, Reason = reason });
                }
            }
        }
    }

    private sealed class Subscriber(Participant tap)
    {
        public Participant Tap { get; } = tap;

        public HashSet<uint> Announced { get; } = [];
    }

    private sealed class Output(Resampler? resampler)
    {
        public Resampler? Resampler { get; } = resampler;

        public uint Sequence { get; set; }

        public uint Timestamp { get; set; }
    }
}
