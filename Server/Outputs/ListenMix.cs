using WsAudio.Audio.Opus;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs;

/// <summary>
/// The room's mix encoded to Opus once for all players of its listen URL, while the room needs it: more than one live
/// stream, or a PCM one. Otherwise players get the one Opus stream as it was sent, and this costs nothing.
/// </summary>
internal sealed class ListenMix : IDisposable
{
    private const int Bitrate = 64_000;

    private readonly Lock _gate = new();
    private readonly List<OutboundQueue> _subscribers = [];
    private readonly RadioMetrics _metrics;
    private readonly byte[] _frame = new byte[ProtocolConstants.HeaderSize + OpusEncoder.MaxPacketBytes];
    private OpusEncoder? _encoder;
    private uint _sequence;

    public ListenMix(RadioMetrics metrics)
    {
        _metrics = metrics;
    }

    /// <summary>True while the mix is sent to the players. Only the room's output loop changes it.</summary>
    public bool Active { get; private set; }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Subscribe(OutboundQueue subscriber)
    {
        lock (_gate)
        {
            _subscribers.Add(subscriber);
        }
    }

    public void Unsubscribe(OutboundQueue subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>Whether the players need the mix now, given the room's live streams.</summary>
    public bool Needed(IReadOnlyCollection<AudioFormat> live) => SubscriberCount > 0 && (live.Count > 1 || live.Any(f => f.Codec == AudioCodec.Pcm16));

    public void Start()
    {
        Active = true;
        _metrics.MixStarted();
    }

    /// <summary>The players carry a sender's stream again: they are told the mix stopped, as of any stream.</summary>
    public void Stop()
    {
        if (!Active)
        {
            return;
        }

        Active = false;
        _metrics.MixStopped();
        _encoder?.Reset();
        byte[] json = ControlMessageSerializer.Serialize(new StreamStoppedMessage { StreamId = RoomOutput.MixStreamId, ParticipantId = string.Empty, Reason = StreamStopReason.Idle });
        Send(SharedFrame.ForText(json));
    }

    /// <summary>Encodes one 20 ms block of the mix and queues it for every player.</summary>
    public void Send(ReadOnlySpan<float> mix, long captureMicros)
    {
        _encoder ??= new OpusEncoder(new OpusEncoderOptions { Application = OpusApplication.Audio, Bitrate = Bitrate });
        int length = _encoder.Encode(mix, _frame.AsSpan(ProtocolConstants.HeaderSize));
        uint sequence = _sequence++;
        new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, RoomOutput.MixStreamId, sequence, sequence * (uint)mix.Length, captureMicros).Write(_frame);
        Send(SharedFrame.RentAudio(_frame.AsSpan(0, ProtocolConstants.HeaderSize + length)));
    }

    public void Dispose()
    {
        if (Active)
        {
            _metrics.MixStopped();
        }

        _encoder?.Dispose();
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
}
