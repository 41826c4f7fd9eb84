using System.CommandLine;
using WsAudio.Client.Connection;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli;

/// <summary>
/// <c>wsaudio record start|stop</c>: an admin starts or stops the server-side recording of a room (token grants
/// <c>subscribe</c> and <c>admin</c>). The command joins as a listener for a moment, asks, waits for the answer and
/// leaves; the recording runs on in the server while the room has members.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var action = new Argument<string>("action") { Description = "start or stop" };
        action.AcceptOnlyFromAmong("start", "stop");
        var connection = new ConnectionOptions();
        var command = new Command("record", "Start or stop recording a room on the server (admins)") { action };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var record = parse.GetValue(action) == "start" ? RecordAction.Start : RecordAction.Stop;
            var options = connection.ToClientOptions(parse, ParticipantRole.Listener) with { Reconnect = false, Name = parse.GetValue(connection.NameOption) ?? "wsaudio record" };
            try
            {
                return await RunAsync(options, record, cancellationToken);
            }
            catch (RoomClientException ex)
            {
                Console.Error.WriteLine($"wsaudio record: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(RoomClientOptions options, RecordAction record, CancellationToken cancellationToken)
    {
        await using var client = new RoomClient(options);
        var answer = new TaskCompletionSource<(RecordingMessage? Recording, ErrorMessage? Error)>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool wanted = record == RecordAction.Start;
        client.RecordingChanged += (_, m) =>
        {
            if (m.Active == wanted)
            {
                answer.TrySetResult((m, null));
            }
        };
        client.ErrorReceived += (_, m) => answer.TrySetResult((null, m));
        await client.ConnectAsync(cancellationToken);
        await client.RecordAsync(record, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var (recording, error) = await answer.Task.WaitAsync(timeout.Token);
        if (error is not null)
        {
            Console.Error.WriteLine($"wsaudio record: {error.Code}: {error.Message}");
            return 1;
        }

        Console.WriteLine(recording!.Id);
        Console.Error.WriteLine($"{(wanted ? "recording" : "stopped recording")} {options.Room}: {recording.Id}");
        return 0;
    }
}
