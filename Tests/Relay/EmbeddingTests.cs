using System.Net;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class EmbeddingTests
{
    [Test]
    public async Task GetLibrary_FromAnotherSite_IsAllowedByDefault()
    {
        await using var server = await RelayServer.StartAsync();

        using var response = await GetAsync(server, "/wsaudio.js", "https://blog.example.org");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"), "module scripts need a JavaScript type");
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
    }

    [Test]
    public async Task GetLibrary_WithAnAllowList_AnswersOnlyListedOrigins()
    {
        await using var server = await RelayServer.StartAsync("--Embedding:AllowedOrigins:0=https://radio.example.com");

        using var listed = await GetAsync(server, "/wsaudio.js", "https://radio.example.com");
        using var other = await GetAsync(server, "/wsaudio.js", "https://evil.example.net");

        Assert.That(listed.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "https://radio.example.com" }));
        Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(listed.Headers.Vary.Concat(other.Headers.Vary), Is.EqualTo(new[] { "Origin", "Origin" }), "a cache must not give one origin's answer to another");
    }

    [Test]
    public void Start_OriginWithAPath_FailsNamingIt()
    {
        Assert.That(async () => await RelayServer.StartAsync("--Embedding:AllowedOrigins:0=https://example.com/app"),
            Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>().With.Message.Contains("https://example.com/app"));
    }

    [TestCase("/broadcast/radio", "broadcast.js")]
    [TestCase("/listen/radio", "listen.js")]
    [TestCase("/", "voice.js")]
    public async Task GetPage_ServesTheProductPages(string path, string script)
    {
        await using var server = await RelayServer.StartAsync();

        using var response = await GetAsync(server, path, origin: null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"/pages/{script}"));
    }

    private static async Task<HttpResponseMessage> GetAsync(RelayServer server, string path, string? origin)
    {
        using var http = new HttpClient { BaseAddress = server.HttpUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await http.SendAsync(request);
    }
}
