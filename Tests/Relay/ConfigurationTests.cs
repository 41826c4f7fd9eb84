using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class ConfigurationTests
{
    [TestCase("--queue-depth", "0", "Relay:QueueDepth")]
    [TestCase("--max-message-bytes", "10", "Relay:MaxMessageBytes")]
    [TestCase("--idle-timeout", "00:00:00.001", "Relay:StreamIdleTimeout")]
    [TestCase("--Relay:CloseTimeout", "00:10:00", "Relay:CloseTimeout")]
    [TestCase("--Presence:AudienceMemberUpdateInterval", "00:00:00.100", "Presence:AudienceMemberUpdateInterval")]
    [TestCase("--Presence:AudienceWriteInterval", "00:00:00.005", "Presence:AudienceWriteInterval")]
    [TestCase("--Presence:JoinBurst", "00:00:02", "Presence:JoinBurst")]
    public void Start_SettingOutOfRange_FailsNamingTheSetting(string option, string value, string setting)
    {
        Assert.That(async () => await RelayServer.StartAsync(option, value),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains(setting));
    }

    [TestCase("70000")]
    [TestCase("-1")]
    public void Build_PortOutOfRange_FailsNamingTheSetting(string port)
    {
        Assert.That(() => ServerApp.Build(["--port", port]), Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Network:Port"));
    }

    [Test]
    public async Task Start_CommandLineAndEnvironment_OverrideTheDefaults()
    {
        Environment.SetEnvironmentVariable("WSAUDIO_Relay__MaxPendingControlMessages", "512");
        try
        {
            await using var server = await RelayServer.StartAsync("--queue-depth", "7", "--idle-timeout", "00:00:09");
            var options = server.Services.GetRequiredService<IOptions<RelayOptions>>().Value;

            Assert.Multiple(() =>
            {
                Assert.That(options.QueueDepth, Is.EqualTo(7));
                Assert.That(options.StreamIdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(9)));
                Assert.That(options.MaxPendingControlMessages, Is.EqualTo(512));
                Assert.That(options.MaxMessageBytes, Is.EqualTo(16 * 1024), "unset settings keep their default");
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("WSAUDIO_Relay__MaxPendingControlMessages", null);
        }
    }
}
