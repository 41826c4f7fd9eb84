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

    [TestCase("12", 12)]
    [TestCase("12s", 12)]
    [TestCase("1m30s", 90)]
    [TestCase("01:30", 90)]
    [TestCase("1:00:00", 3600)]
    [TestCase("2h", 7200)]
    [TestCase("7d", 604800)]
    public async Task Token_TtlInAnyDurationForm_LastsThatLong(string ttl, int seconds)
    {
        await using var mint = CliProcess.Start("token", "--key", Tokens.Key, "--room", "r", "--identity", "bob", "--ttl", ttl);
        Assert.That(await mint.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, mint.Output);
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken((await mint.ReadStandardOutputAsync()).Trim());

        Assert.That((jwt.ValidTo - jwt.IssuedAt).TotalSeconds, Is.EqualTo(seconds).Within(1));
    }

    [TestCase("listen", "12x")]
    [TestCase("listen", "1:75")]
    [TestCase("bot", "3x")]
    public async Task Duration_NotADuration_IsRefusedNamingTheOption(string command, string value)
    {
        string[] args = command == "bot"
            ? ["bot", "--url", Url.ToString(), "--duration", value]
            : ["listen", "--url", Url.ToString(), "--room", "r", "--stdout", "--duration", value];
        await using var tool = CliProcess.Start(args);

        Assert.That(await tool.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Not.Zero);
        Assert.That(tool.Output, Does.Contain($"--duration: '{value}' is not a duration"));
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
