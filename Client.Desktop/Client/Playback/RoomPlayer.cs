using System.Diagnostics;
using WsAudio.Client.Connection;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Client.Playback;

/// <summary>
/// Plays a room: decodes every stream, mixes them on one timeline and feeds a sink in real time. Each stream keeps
/// its own timing (its media timestamps); streams are aligned by when their first frame arrived. A frame plays
/// <c>playoutDelay</c> after arrival, which absorbs network jitter; a frame later than that is counted and skipped.
/// The timeline (and a recording) starts with the first frame heard.
/// </summary>
public sealed class RoomPlayer : IAsyncDisposable
{
    private const int Rate = 48000;
    private readonly RoomClient _client;
    private readonly IAudioSink _sink;
    private readonly long _delaySamples;
    private readonly TimelineMixer _mixer = new();
    private readonly Dictionary<uint, (StreamDecoder Decoder, long Anchor)> _streams = [];
    private readonly List<StreamStats> _stats = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _sinkClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _playout;
    private readonly bool _recording;
    private long _origin;

    /// <param name="client">The room.</param>
    /// <param name="sink">Where the mix goes.</param>
    /// <param name="playoutDelay">How long after its arrival a frame plays.</param>
    /// <param name="recording">
    /// True for a recording: silence after the last sound goes to the sink only when more sound follows, so the
    /// recording ends at its last sound however long the listener stays (a speaker or a live pipe gets silence as it
    /// passes).
    /// </param>
    public RoomPlayer(RoomClient client, IAudioSink sink, TimeSpan playoutDelay, bool recording = false)
    {
        _client = client;
        _sink = sink;
        _recording = recording;
        _delaySamples = (long)(playoutDelay.TotalSeconds * Rate);
        client.AudioReceived += OnAudio;
        client.StreamStopped += OnStreamStopped;
        _playout = Task.Run(PlayoutLoopAsync);
    }

    /// <summary>Raised with the level of each block handed to the sink.</summary>
    public event Action<Audio.AudioLevel>? Level;

    /// <summary>Every stream heard so far, including ended ones.</summary>
    public IReadOnlyList<StreamStats> Streams
    {
        get
        {
            lock (_gate)
            {
                return [.. _stats];
            }
        }
    }

    /// <summary>
    /// Completes when the sink takes no more: its reader went away (a closed pipe: <c>listen --stdout | head</c>).
    /// Nothing is played after that.
    /// </summary>
    public Task SinkClosed => _sinkClosed.Task;

    /// <summary>True once any audio has been heard.</summary>
    public bool Started => Interlocked.Read(ref _origin) != 0;

    /// <summary>Stops listening, hands the sink everything mixed so far, and closes the sink.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.AudioReceived -= OnAudio;
        _client.StreamStopped -= OnStreamStopped;
        await _stop.CancelAsync();
        await _playout;
        Deliver(_mixer.Drain(_mixer.End));
        lock (_gate)
        {
            foreach (var (decoder, _) in _streams.Values)
            {
                decoder.Dispose();
            }

            _streams.Clear();
        }

        try
        {
            _sink.Dispose();
        }
        catch (IOException)
        {
            // The reader went away; what could not be flushed has no one to read it.
        }

        _stop.Dispose();
    }

    private long Now()
    {
        long origin = Interlocked.Read(ref _origin);
        return origin == 0 ? 0 : (long)(Stopwatch.GetElapsedTime(origin).TotalSeconds * Rate);
    }

    private void OnAudio(in AudioFrameHeader header, ReadOnlySpan<byte> payload)
    {
        Interlocked.CompareExchange(ref _origin, Stopwatch.GetTimestamp(), 0);
        long arrival = Now();
        lock (_gate)
        {
            if (!_streams.TryGetValue(header.StreamId, out var stream))
            {
                if (!_client.LiveStreams.TryGetValue(header.StreamId, out var info))
                {
                    return;
                }

                var stats = new StreamStats { StreamId = info.StreamId, ParticipantId = info.ParticipantId };
                _stats.Add(stats);
                stream = (new StreamDecoder(info.Format, stats), long.MinValue);
            }

            long anchor = stream.Anchor;
            var stats2 = stream.Decoder.Stats;
            stream.Decoder.Accept(header, payload, (position, pcm) =>
            {
                // The stream's first frame lands "now" on the shared timeline; the rest follow its timestamps.
                if (anchor == long.MinValue)
                {
                    anchor = arrival - position;
                }

                if (_mixer.Mix(anchor + position, pcm) == pcm.Length)
                {
                    stats2.Late++;
                }
            });
            _streams[header.StreamId] = (stream.Decoder, anchor);
        }
    }

    private void OnStreamStopped(object? sender, StreamStoppedMessage stopped)
    {
        lock (_gate)
        {
            if (_streams.Remove(stopped.StreamId, out var stream))
            {
                stream.Decoder.Dispose();
            }
        }
    }

    private async Task PlayoutLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (Started)
                {
                    long due = Now() - _delaySamples;
                    Deliver(_mixer.Drain(_recording ? Math.Min(due, _mixer.End) : due));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Deliver(float[] samples)
    {
        if (samples.Length == 0 || _sinkClosed.Task.IsCompleted)
        {
            return;
        }

        try
        {
            _sink.Write(samples);
        }
        catch (IOException)
        {
            _sinkClosed.TrySetResult();
            return;
        }

        Level?.Invoke(Audio.AudioLevel.Measure(samples));
    }
}
