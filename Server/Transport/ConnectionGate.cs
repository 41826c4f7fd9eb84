using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>
/// Kestrel connection middleware, ahead of HTTP: counts every accepted TCP connection against the server's cap and
/// its address's cap, and closes the ones past either at once. Counting here rather than at the WebSocket
/// handshake is what stops connections that never finish a request (slowloris) from using up the process's file
/// descriptors, after which Kestrel's accept loop stops for good.
/// </summary>
internal sealed class ConnectionGate
{
    // A refused client gets its answer and a moment to read it; only so many refusals linger at once, so a flood
    // of them cannot hold the descriptors the cap protects.
    private const int MaxLingering = 16;

    // Descriptors kept free beyond those the process holds when the gate starts: files the server opens later
    // (pages, certificates, NATS, accepts in flight).
    private const int SpareDescriptors = 128;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private readonly HashSet<IPAddress> _proxies;
    private readonly int _maxPerAddress;
    private readonly bool _answersInPlainHttp;
    private readonly ILogger _logger;
    private readonly LogThrottle _refusalLog = new(TimeSpan.FromSeconds(10));
    private int _open;
    private int _lingering;
    private long _refused;

    public ConnectionGate(IOptions<LimitsOptions> limits, IOptions<NetworkOptions> network, ILogger<ConnectionGate> logger)
    {
        _logger = logger;
        _maxPerAddress = limits.Value.MaxConnectionsPerIp;
        _proxies = [.. network.Value.KnownProxies.Select(p => Normalize(IPAddress.Parse(p)))];
        _answersInPlainHttp = !network.Value.UsesTls;
        MaxConnections = limits.Value.MaxConnections > 0 ? limits.Value.MaxConnections : DefaultCap();
    }

    /// <summary>The cap on open TCP connections in force; 0 when there is none.</summary>
    public int MaxConnections { get; }

    /// <summary>TCP connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>TCP connections closed at once because a cap was reached.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var address = connection.RemoteEndPoint is IPEndPoint endpoint ? Normalize(endpoint.Address) : null;
        bool perAddress = address is not null && _maxPerAddress > 0 && !_proxies.Contains(address);
        if (Interlocked.Increment(ref _open) > MaxConnections && MaxConnections > 0)
        {
            Interlocked.Decrement(ref _open);
            await RefuseAsync(connection, address, ErrorCodes.ServerBusy, MaxConnections, 503, "Service Unavailable",
                "the server has as many connections as it allows; try again later");
            return;
        }

        if (perAddress && _perAddress.AddOrUpdate(address!, 1, (_, n) => n + 1) > _maxPerAddress)
        {
            Release(address!);
            Interlocked.Decrement(ref _open);
            await RefuseAsync(connection, address, ErrorCodes.TooManyConnections, _maxPerAddress, 429, "Too Many Requests",
                $"at most {_maxPerAddress} connections from one address");
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            if (perAddress)
            {
                Release(address!);
            }

            Interlocked.Decrement(ref _open);
        }
    }

    // 80% of the open-file limit; less where the runtime already holds many descriptors (about 200 at start-up,
    // which matters under a small limit such as 1,024).
    private static int DefaultCap()
    {
        if (OpenFileLimit.Current() is not { } limit)
        {
            return 0;
        }

        long free = limit - (OpenFileLimit.InUse() ?? 0) - SpareDescriptors - MaxLingering;
        return (int)Math.Clamp(Math.Min(limit * 4 / 5, free), 1, int.MaxValue);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void Release(IPAddress address)
    {
        if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
        {
            _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        }
    }

    private async Task RefuseAsync(ConnectionContext connection, IPAddress? address, string code, int limit, int status, string statusText, string message)
    {
        Interlocked.Increment(ref _refused);
        if (_refusalLog.TryEnter(out long held))
        {
            Log.ConnectionRefused(_logger, address?.ToString() ?? "?", code, limit, held);
        }

        if (!_answersInPlainHttp || Interlocked.Increment(ref _lingering) > MaxLingering)
        {
            if (_answersInPlainHttp)
            {
                Interlocked.Decrement(ref _lingering);
            }

            return;
        }

        try
        {
            // Answered before the request is read: an HTTP client reads it as the answer to whatever it sent. The
            // request is then read and discarded for a moment, because closing with unread bytes makes the kernel
            // send a reset, which can destroy the answer before the client reads it.
            byte[] body = ControlMessageSerializer.Serialize(new ErrorMessage { Code = code, Message = message });
            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {statusText}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            using var linger = new CancellationTokenSource(Linger);
            await connection.Transport.Output.WriteAsync(head, linger.Token);
            await connection.Transport.Output.WriteAsync(body, linger.Token);
            await connection.Transport.Output.CompleteAsync();
            while (true)
            {
                var read = await connection.Transport.Input.ReadAsync(linger.Token);
                connection.Transport.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // The client went away, or kept sending; either way it is closed now.
        }
        finally
        {
            Interlocked.Decrement(ref _lingering);
        }
    }
}
