using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

public sealed class TokenCommandTests : RelayFixture
{
    private protected override string[] ServerArguments => Tokens.ServerArguments;

    [Test]
    public async Task Token_Minted_IsAcceptedByTheServerForItsRoomAndRole()
    {
        await using var mint = CliProcess.Start("token", "--key", Tokens.Key, "--room", "minted", "--identity", "alice", "--name", "Alice", "--grants", "subscribe", "--ttl", "1h");
        Assert.That(await mint.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, mint.Output);
        string token = (await mint.ReadStandardOutputAsync()).Trim();
        await using var client = await TestClient.ConnectAsync(Url);

        var joined = await client.JoinAsync("minted", ParticipantRole.Listener, token: token);

        Assert.That(joined.Participants.Single().Name, Is.EqualTo("Alice"));
    }

    [TestCase("--ttl", "5x", "not a duration")]
    [TestCase("--grants", "publish,fly", "grants are publish, subscribe, tap and admin")]
    [TestCase("--key", "short", "at least 32 characters")]
    public async Task Token_BadArgument_ExitsTwoSayingWhy(string option, string value, string message)
    {
        var arguments = new Dictionary<string, string> { ["--key"] = Tokens.Key, ["--room"] = "r", ["--identity"] = "bob", [option] = value };
        await using var mint = CliProcess.Start(["token", .. arguments.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.That(await mint.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(2));
        Assert.That(mint.Output, Does.Contain(message));
    }
}
