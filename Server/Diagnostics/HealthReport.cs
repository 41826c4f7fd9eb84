namespace WsAudio.Server.Diagnostics;

/// <summary>
/// The body of <c>GET /healthz</c>. <see cref="Status"/> is <c>degraded</c> while the broker cannot reach the bus
/// (local rooms still work); <see cref="Broker"/> is <c>local</c>, <c>connected</c> or <c>disconnected</c>.
/// </summary>
internal sealed record HealthReport(string Status, int Connections, int Rooms, double UptimeSeconds, string Broker);
