using Microsoft.Extensions.Logging;

namespace WsAudio.Tests.Support;

/// <summary>One log entry the server wrote.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message);
