namespace WsAudio.Tests.Support;

/// <summary>Upper bounds for awaiting events; a test that needs them all is failing, not slow.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(10);
}
