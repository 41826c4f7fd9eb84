namespace WsAudio.Server.Diagnostics;

/// <summary>The body of <c>GET /healthz</c>.</summary>
internal sealed record HealthReport(string Status, int Connections, int Rooms, double UptimeSeconds);
