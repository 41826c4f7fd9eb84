using WsAudio.Client.Connection;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli.Bot;

/// <summary>
/// A simulated speech recognizer: a tap of one room (16 kHz PCM, the mix or each speaker), timing each frame from
/// the capture time the speaker stamped to its arrival here.
/// </summary>
internal sealed class TapPeer : IBotPeer, IAsyncDisposable
{
    private readonly RoomClient _client;
    private readonly LoadStats _stats;

    public TapPeer(Uri url, string room, TapMode mode, string? token, LoadStats stats)
    {
        _stats = stats;
        _client = new RoomClient(new RoomClientOptions
        {
            Url = url,
            Room = room,
            Role = ParticipantRole.Tap,
            Token = token,
            Format = AudioFormat.TapDefault,
            TapMode = mode,
            Reconnect = false,
        });
        _client.AudioReceived += OnAudio;
    }

    public bool IsSpeaker => false;

    public async Task<bool> ConnectAsync(TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await _client.ConnectAsync(cancel.Token);
            _stats.ConnectionOpened();
            return true;
        }
        catch (Exception ex) when (ex is RoomClientException or OperationCanceledException)
        {
            _stats.ConnectionFailed();
            return false;
        }
    }

    public async Task PingAsync()
    {
        try
        {
            await _client.PingAsync();
        }
        catch (RoomClientException)
        {
        }
    }

    public async Task FinishAsync() => await _client.DisposeAsync();

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private void OnAudio(in AudioFrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.CaptureTimeMicros == 0)
        {
            return;
        }

        long now = CaptureClock.NowMicros();
        _stats.TapReceived(now - header.CaptureTimeMicros);
    }
}
