using System.Text;
using WsAudio.Server.Transport;

namespace WsAudio.Tests.Relay;

public sealed class UpgradeRequestTests
{
    // What Chromium sends for `new WebSocket(url, 'wsaudio.v1')`, less the headers that change nothing here.
    private const string Clean =
        "GET /ws HTTP/1.1\r\n" +
        "Host: 127.0.0.1:8080\r\n" +
        "Connection: Upgrade\r\n" +
        "Upgrade: websocket\r\n" +
        "Origin: http://127.0.0.1:8080\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Protocol: wsaudio.v1\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";

    private static UpgradeRequest? Parse(string head) => UpgradeRequest.Parse(Encoding.UTF8.GetBytes(head));

    [Test]
    public void Parse_BrowserHandshake_IsTakenWithItsKeyOriginAndHost()
    {
        var request = Parse(Clean);

        Assert.That(request, Is.Not.Null);
        Assert.That((request!.Key, request.Origin, request.Host), Is.EqualTo(("dGhlIHNhbXBsZSBub25jZQ==", "http://127.0.0.1:8080", "127.0.0.1:8080")));
    }

    [TestCase("GET /ws HTTP/1.1", "GET /ws?room=a HTTP/1.1", TestName = "Parse_QueryOnThePath_IsTaken")]
    [TestCase("Connection: Upgrade", "connection: keep-alive, Upgrade", TestName = "Parse_KeepAliveAndUpgradeInLowerCase_IsTaken")]
    [TestCase("Sec-WebSocket-Protocol: wsaudio.v1", "Sec-WebSocket-Protocol: chat.v2, wsaudio.v1", TestName = "Parse_OurSubprotocolAmongOthers_IsTaken")]
    [TestCase("Origin: http://127.0.0.1:8080\r\n", "", TestName = "Parse_WithoutOrigin_IsTaken")]
    public void Parse_Variant_IsTaken(string replace, string with) =>
        Assert.That(Parse(Clean.Replace(replace, with, StringComparison.Ordinal)), Is.Not.Null);

    // Each of these goes to the HTTP server: it refuses what must be refused, and sees what only it may judge.
    [TestCase("GET /ws HTTP/1.1", "GET /wsx HTTP/1.1", TestName = "Parse_AnotherPath_IsLeft")]
    [TestCase("GET /ws HTTP/1.1", "GET /ws/a HTTP/1.1", TestName = "Parse_ASubPath_IsLeft")]
    [TestCase("GET /ws HTTP/1.1", "GET /ws HTTP/1.0", TestName = "Parse_Http10_IsLeft")]
    [TestCase("GET /ws HTTP/1.1", "POST /ws HTTP/1.1", TestName = "Parse_Post_IsLeft")]
    [TestCase("Sec-WebSocket-Protocol: wsaudio.v1", "Sec-WebSocket-Protocol: chat.v2", TestName = "Parse_WithoutOurSubprotocol_IsLeft")]
    [TestCase("Sec-WebSocket-Protocol: wsaudio.v1", "Sec-WebSocket-Protocol: WSAUDIO.V1", TestName = "Parse_SubprotocolInAnotherCase_IsLeft")]
    [TestCase("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8", TestName = "Parse_AnotherVersion_IsLeft")]
    [TestCase("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ", TestName = "Parse_KeyNotSixteenBytes_IsLeft")]
    [TestCase("Upgrade: websocket", "Upgrade: h2c", TestName = "Parse_OtherUpgrade_IsLeft")]
    [TestCase("Host: 127.0.0.1:8080\r\n", "", TestName = "Parse_WithoutHost_IsLeft")]
    [TestCase("Host: 127.0.0.1:8080", "Host: 127.0.0.1:8080\r\nHost: evil.example", TestName = "Parse_TwoHosts_IsLeft")]
    [TestCase("Origin: http://127.0.0.1:8080", "Origin: a\r\nOrigin: b", TestName = "Parse_TwoOrigins_IsLeft")]
    [TestCase("Host: 127.0.0.1:8080", "Host: 127.0.0.1:8080\r\nX-Forwarded-For: 203.0.113.7", TestName = "Parse_ThroughAProxy_IsLeft")]
    [TestCase("Host: 127.0.0.1:8080", "Host: 127.0.0.1:8080\r\nForwarded: for=203.0.113.7", TestName = "Parse_ForwardedHeader_IsLeft")]
    [TestCase("Host: 127.0.0.1:8080", "Host: 127.0.0.1:8080\r\nContent-Length: 5", TestName = "Parse_WithABody_IsLeft")]
    [TestCase("Connection: Upgrade", "Connection: Upgrade\r\n folded", TestName = "Parse_FoldedHeader_IsLeft")]
    [TestCase("Connection: Upgrade", "Connection Upgrade", TestName = "Parse_HeaderWithoutColon_IsLeft")]
    [TestCase("Origin: http://127.0.0.1:8080", "Origin: http://bücher.example", TestName = "Parse_NonAsciiHeader_IsLeft")]
    public void Parse_Variant_IsLeftToHttp(string replace, string with) =>
        Assert.That(Parse(Clean.Replace(replace, with, StringComparison.Ordinal)), Is.Null);

    [TestCase("G", true)]
    [TestCase("GET /w", true)]
    [TestCase("GET /ws ", true)]
    [TestCase("GET /ws?", true)]
    [TestCase("GET /wsx", false)]
    [TestCase("GET / HTTP/1.1", false)]
    [TestCase("PUT /rooms/a", false)]
    public void MayBegin_FirstBytes_TellsAtOnceWhenTheyCannot(string start, bool may) =>
        Assert.That(UpgradeRequest.MayBegin(Encoding.UTF8.GetBytes(start)), Is.EqualTo(may));
}
