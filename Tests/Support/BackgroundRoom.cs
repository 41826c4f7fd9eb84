using WsAudio.Protocol;

namespace WsAudio.Tests.Support;

/// <summary>
/// A room that streams all the time a test runs: one speaker sends paced frames, one listener checks that they
/// arrive complete and in order. Tests call <see cref="AssertFlowingAsync"/> after doing harm elsewhere.
/// </summary>
internal sealed class BackgroundRoom : IAsyncDisposable
{
    private readonly TestClient _sender;
    private readonly TestClient _listener;
    private readonly uint _streamId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;
    private uint _expected;

    private BackgroundRoom(TestClient sender, TestClient listener, uint streamId)
    {
        _sender = sender;
        _listener = listener;
        _streamId = streamId;
        _sending = Task.Run(SendLoopAsync);
    }

    public static async Task<BackgroundRoom> StartAsync(Uri server, string room, string? token = null)
    {
        var listener = await TestClient.ConnectAsync(server);
        await listener.JoinAsync(room, ParticipantRole.Listener, "background listener", token: token);
        var sender = await TestClient.ConnectAsync(server);
        var joined = await sender.JoinAsync(room, ParticipantRole.Broadcaster, "background sender", token: token);
        return new BackgroundRoom(sender, listener, joined.StreamId!.Value);
    }

    /// <summary>Waits for <paramref name="frames"/> more frames and checks that none since the start was lost or reordered.</summary>
    public async Task AssertFlowingAsync(int frames = 20)
    {
        uint target = _expected + (uint)frames;
        while (_expected < target || _listener.PendingAudio > 0)
        {
            var frame = await _listener.NextAudioAsync();
            uint sequence = Frames.SequenceOf(frame);
            Assert.That(sequence, Is.EqualTo(_expected), "the background room lost or reordered a frame");
            Assert.That(frame.AsSpan(ProtocolConstants.HeaderSize).SequenceEqual(Frames.Payload(sequence)), Is.True);
            _expected++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        await _sender.DisposeAsync();
        await _listener.DisposeAsync();
        _stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        // Pacing, not synchronisation: a steady 200 frames/s keeps the room busy without flooding it.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        uint sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await _sender.SendBinaryAsync(Frames.Audio(_streamId, sequence, Frames.Payload(sequence)));
                sequence++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
