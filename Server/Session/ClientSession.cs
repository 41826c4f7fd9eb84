using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Access;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;
using WsAudio.Server.Outputs;
using WsAudio.Server.Outputs.Recording;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Session;

/// <summary>
/// The protocol state of one connection: not joined, or in one room as one participant. Checks every message
/// against what the connection may do, answers refusals with an <c>error</c> and, for violations, a close.
/// </summary>
internal sealed class ClientSession : IMessageHandler
{
    private readonly Connection _connection;
    private readonly RoomRegistry _rooms;
    private readonly TokenValidator _tokens;
    private readonly RoomOutputs _outputs;
    private readonly Recorders _recorders;
    private readonly LimitsOptions _limits;
    private readonly ILogger _logger;
    // Refusals that leave the connection open are logged only this often per connection: a client sending junk in
    // a loop would otherwise write the log, not the server, full (the control-message rate limit ends it soon).
    private const int MaxLoggedRefusals = 3;

    private RateLimiter _frameRate;
    private RateLimiter _byteRate;
    private RateLimiter _controlRate;
    private Room? _room;
    private Participant? _participant;
    private long _lastMessageTicks = Environment.TickCount64;

    // When the connection last came to be in no room (connected, or left); 0 while in one. The join timeout runs from it.
    private long _outsideSince = Environment.TickCount64;
    private int _refusalsLogged;

    public ClientSession(Connection connection, RoomRegistry rooms, TokenValidator tokens, RoomOutputs outputs, Recorders recorders, LimitsOptions limits, ILogger logger)
    {
        _connection = connection;
        _rooms = rooms;
        _tokens = tokens;
        _outputs = outputs;
        _recorders = recorders;
        _limits = limits;
        _logger = logger;
        _frameRate = new RateLimiter(limits.MaxFramesPerSecond);
        _byteRate = new RateLimiter(limits.MaxBytesPerSecond);
        _controlRate = new RateLimiter(limits.MaxControlMessagesPerSecond);
    }

    public void OnMessage(WebSocketMessageType type, ReadOnlySpan<byte> message)
    {
        Volatile.Write(ref _lastMessageTicks, Environment.TickCount64);
        if (type == WebSocketMessageType.Binary)
        {
            OnAudio(message);
        }
        else
        {
            OnControl(message);
        }
    }

    public void OnMessageTooBig() =>
        Fail(ErrorCodes.MessageTooBig, CloseCodes.MessageTooBig, "messages may be at most the server's MaxMessageBytes");

    public void OnDisconnected() => LeaveRoom(LeaveReason.Disconnected);

    // Called by the connection monitor's thread: only thread-safe operations here.
    public void OnTick(long nowTicks)
    {
        long outside = Volatile.Read(ref _outsideSince);
        if (outside != 0 && nowTicks - outside > _limits.JoinTimeout.TotalMilliseconds)
        {
            Fail(ErrorCodes.JoinTimeout, CloseCodes.Timeout, $"no join within {_limits.JoinTimeout.TotalSeconds:0.#} s of connecting or leaving");
        }
        else if (_limits.IdleTimeout > TimeSpan.Zero && nowTicks - Volatile.Read(ref _lastMessageTicks) > _limits.IdleTimeout.TotalMilliseconds)
        {
            Fail(ErrorCodes.IdleTimeout, CloseCodes.Timeout, $"nothing received for {_limits.IdleTimeout.TotalSeconds:0.#} s; clients that only listen should send ping");
        }
    }

    private void OnAudio(ReadOnlySpan<byte> frame)
    {
        if (_participant is null)
        {
            Fail(ErrorCodes.NotJoined, CloseCodes.PolicyViolation, "audio before join");
            return;
        }

        if (!_participant.Role.CanSend())
        {
            Fail(ErrorCodes.SendNotAllowed, CloseCodes.PolicyViolation, $"a {RoleName(_participant.Role)} may not send audio");
            return;
        }

        switch (AudioFrameHeader.TryRead(frame, out var header))
        {
            case FrameError.None:
                break;
            case FrameError.Truncated:
                Fail(ErrorCodes.MalformedFrame, CloseCodes.ProtocolError, $"a frame needs a {ProtocolConstants.HeaderSize}-byte header; got {frame.Length} bytes");
                return;
            case FrameError.UnsupportedVersion:
                Fail(ErrorCodes.MalformedFrame, CloseCodes.ProtocolError, $"frame version {frame[0]} is not {ProtocolConstants.Version}");
                return;
            case FrameError.UnknownFrameType:
                Fail(ErrorCodes.UnknownFrameType, CloseCodes.UnsupportedData, $"unknown frame type {frame[1]}");
                return;
            default:
                Fail(ErrorCodes.UnsupportedCodec, CloseCodes.UnsupportedData, $"unknown codec {frame[2]}");
                return;
        }

        if (header.StreamId != _participant.StreamId)
        {
            Fail(ErrorCodes.StreamIdMismatch, CloseCodes.PolicyViolation, $"stream id {header.StreamId} is not yours ({_participant.StreamId})");
            return;
        }

        if (header.Codec != _participant.Format.Codec)
        {
            Fail(ErrorCodes.UnsupportedCodec, CloseCodes.UnsupportedData, $"frame codec {header.Codec} differs from the declared {_participant.Format.Codec}");
            return;
        }

        if (!_frameRate.TryTake(1) || !_byteRate.TryTake(frame.Length))
        {
            Fail(ErrorCodes.RateLimited, CloseCodes.PolicyViolation, $"more than {_limits.MaxFramesPerSecond} frames or {_limits.MaxBytesPerSecond} bytes per second");
            return;
        }

        _room!.PublishAudio(_participant, frame, header.IsEndOfStream);
    }

    private void OnControl(ReadOnlySpan<byte> json)
    {
        if (!_controlRate.TryTake(1))
        {
            Fail(ErrorCodes.RateLimited, CloseCodes.PolicyViolation, $"more than {_limits.MaxControlMessagesPerSecond} control messages per second");
            return;
        }

        switch (ControlMessageSerializer.TryRead(json, MessageSender.Client, out var message, out string detail))
        {
            case ReadStatus.InvalidJson:
                Fail(ErrorCodes.InvalidJson, CloseCodes.InvalidPayload, detail);
                return;
            case ReadStatus.UnknownType:
                Refuse(ErrorCodes.UnknownMessageType, detail);
                return;
            case ReadStatus.InvalidMessage:
                Refuse(ErrorCodes.InvalidMessage, detail);
                return;
        }

        switch (message)
        {
            case JoinMessage join:
                OnJoin(join);
                break;
            case LeaveMessage:
                OnLeave();
                break;
            case MuteMessage mute:
                OnMute(mute);
                break;
            case ModerateMessage moderate:
                OnModerate(moderate);
                break;
            case RecordMessage record:
                OnRecord(record);
                break;
            case PingMessage ping:
                Send(new PongMessage { T = ping.T, ServerTime = CaptureClock.NowMicros(), Dropped = _connection.Outbound.Dropped });
                break;
            default:
                Refuse(ErrorCodes.UnknownMessageType, $"'{message!.Type}' is not handled");
                break;
        }
    }

    private void OnJoin(JoinMessage join)
    {
        if (_room is not null)
        {
            Refuse(ErrorCodes.AlreadyJoined, $"already in room '{_room.Name}'; send leave first");
            return;
        }

        if (!RoomName.IsValid(join.Room))
        {
            Refuse(ErrorCodes.InvalidRoom, "room names are 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
            return;
        }

        if (!DisplayName.TryNormalize(join.Name, out string name))
        {
            Refuse(ErrorCodes.InvalidName, $"names are at most {DisplayName.MaxLength} characters, without control characters");
            return;
        }

        // A format is what a sender will send, or what a tap will receive; a listener's is not used, so its values are
        // not held against it.
        var format = join.Role switch
        {
            ParticipantRole.Tap => join.Format ?? AudioFormat.TapDefault,
            _ when join.Role.CanSend() => join.Format ?? AudioFormat.Default,
            _ => AudioFormat.Default,
        };
        if ((join.Role == ParticipantRole.Tap ? format.ValidateForTap() : format.Validate()) is { } problem)
        {
            Refuse(ErrorCodes.InvalidFormat, problem);
            return;
        }

        var (admission, error, reason) = _tokens.Admit(join.Token, join.Room);
        if (admission is null)
        {
            Fail(error!, CloseCodes.PolicyViolation, reason!);
            return;
        }

        var missing = Grants.RequiredFor(join.Role).Where(g => !admission.Has(g)).ToList();
        if (missing.Count > 0)
        {
            Fail(ErrorCodes.Forbidden, CloseCodes.PolicyViolation, $"a {RoleName(join.Role)} needs the grant {string.Join(" and ", missing)}, which the token does not give");
            return;
        }

        // A token's name is vouched for by whoever signed it, so it wins over the one the client chose.
        var participant = new Participant(admission.Name ?? name, join.Role, format, _connection.Outbound, admission, Evict);
        var (room, refusal) = _rooms.Join(join.Room, participant);
        if (room is null)
        {
            Refuse(refusal!, refusal == ErrorCodes.RoomFull ? $"room '{join.Room}' is full" : "this server has as many rooms as it allows; try an existing room");
            return;
        }

        _room = room;
        _participant = participant;
        Volatile.Write(ref _outsideSince, 0);
        if (participant.Role == ParticipantRole.Tap)
        {
            _outputs.AddTap(room, participant, join.Mode ?? TapMode.PerSpeaker, format.SampleRate);
        }

        Log.Joined(_logger, _connection.Id, _room.Name, participant.Id, RoleName(participant.Role));
    }

    private void OnLeave()
    {
        if (_room is null)
        {
            Refuse(ErrorCodes.NotJoined, "not in a room");
            return;
        }

        string room = _room.Name;
        LeaveRoom(LeaveReason.Left);
        Send(new LeftMessage { Room = room });
    }

    private void OnMute(MuteMessage mute)
    {
        if (_room is null)
        {
            Refuse(ErrorCodes.NotJoined, "not in a room");
            return;
        }

        if (_room.SetMuted(_participant!, mute.Muted) is { } error)
        {
            Refuse(error, "an admin muted you; only an admin can unmute you");
        }
    }

    private void OnModerate(ModerateMessage moderate)
    {
        if (_room is null)
        {
            Refuse(ErrorCodes.NotJoined, "not in a room");
            return;
        }

        if (!_participant!.Admission.Has(Grants.Admin))
        {
            Refuse(ErrorCodes.Forbidden, "moderation needs the admin grant");
            return;
        }

        if (_room.Moderate(moderate.Action, moderate.ParticipantId, out var removed) is { } error)
        {
            // Participant ids are 11 characters: a longer one is not echoed whole, so the answer stays small.
            string named = moderate.ParticipantId.Length <= 32 ? moderate.ParticipantId : moderate.ParticipantId[..32] + "…";
            Refuse(error, $"no participant '{named}' in room '{_room.Name}'");
            return;
        }

        if (removed is not null)
        {
            // Through the registry, like any leave, so that a room emptied by the removal (an admin removing
            // itself while alone) is closed and no longer counts against the room limit.
            _rooms.Leave(_room, removed, LeaveReason.Removed);
            removed.Evict(ErrorCodes.Removed, CloseCodes.Removed, "an admin removed you from the room");
        }
    }

    private void OnRecord(RecordMessage record)
    {
        if (_room is null)
        {
            Refuse(ErrorCodes.NotJoined, "not in a room");
            return;
        }

        if (!_participant!.Admission.Has(Grants.Admin))
        {
            Refuse(ErrorCodes.Forbidden, "recording needs the admin grant");
            return;
        }

        if (record.Action == RecordAction.Start && _recorders.Start(_room, _participant) is { } problem)
        {
            Refuse(ErrorCodes.RecordingFailed, problem);
        }
        else if (record.Action == RecordAction.Stop && !_recorders.Stop(_room))
        {
            Refuse(ErrorCodes.NotRecording, $"room '{_room.Name}' is not being recorded");
        }
    }

    // Called from another participant's thread (an admin's): only thread-safe operations here.
    private void Evict(string code, int closeCode, string message) => Fail(code, closeCode, message);

    private void LeaveRoom(LeaveReason reason)
    {
        if (_room is null)
        {
            return;
        }

        if (_participant!.Role == ParticipantRole.Tap)
        {
            // The room's output stops its loop when this was its last user: not awaited on the connection's thread.
            _ = _outputs.RemoveTapAsync(_room, _participant);
        }

        _rooms.Leave(_room, _participant, reason);
        Log.Left(_logger, _connection.Id, _room.Name, reason.ToString());
        _room = null;
        _participant = null;
        Volatile.Write(ref _outsideSince, Environment.TickCount64);
    }

    private void Refuse(string code, string detail)
    {
        if (Interlocked.Increment(ref _refusalsLogged) <= MaxLoggedRefusals)
        {
            Log.MessageRefused(_logger, _connection.Id, code, LogText.Clean(detail));
        }

        Send(new ErrorMessage { Code = code, Message = detail });
    }

    // Once per connection in practice: the close that follows ignores whatever the client sends after it.
    private void Fail(string code, int closeCode, string detail)
    {
        Log.ProtocolViolation(_logger, _connection.Id, code, closeCode, LogText.Clean(detail));
        Send(new ErrorMessage { Code = code, Message = detail });
        _connection.RequestClose((WebSocketCloseStatus)closeCode, code, discardQueued: false);
    }

    private void Send(ControlMessage message) => _connection.Outbound.EnqueueMessage(message);

    private static string RoleName(ParticipantRole role) => role.ToString().ToLowerInvariant();
}
