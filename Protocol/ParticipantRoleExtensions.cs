namespace WsAudio.Protocol;

/// <summary>What each role allows.</summary>
public static class ParticipantRoleExtensions
{
    /// <summary>True for roles that may send audio frames.</summary>
    public static bool CanSend(this ParticipantRole role) => role is ParticipantRole.Speaker or ParticipantRole.Broadcaster;

    /// <summary>True for roles that receive the room's audio as its senders sent it (a tap gets it decoded instead).</summary>
    public static bool CanReceive(this ParticipantRole role) => role is ParticipantRole.Speaker or ParticipantRole.Listener;
}
