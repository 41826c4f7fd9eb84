using System.Net;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>A room page's address without its room, or with too many segments, answers with a page that explains.</summary>
public sealed class PageRoutesTests : RelayFixture
{
    [TestCase("/listen/")]
    [TestCase("/listen/a/b")]
    [TestCase("/broadcast/")]
    [TestCase("/radio/x/y/z")]
    public async Task Get_RoomPageWithoutOneRoom_Is404WithAPageThatSaysWhy(string path)
    {
        using var http = new HttpClient { BaseAddress = Server.HttpUri };

        using var response = await http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(body, Does.Contain("No such page").And.Contain("/listen/"));
        });
    }

    [Test]
    public async Task Get_RoomPage_IsThePage()
    {
        using var http = new HttpClient { BaseAddress = Server.HttpUri };

        using var response = await http.GetAsync("/listen/a");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
