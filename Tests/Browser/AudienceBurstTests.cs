using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>
/// A browser in a room's audience on a server that gathers the audience's frames (<c>Presence:AudienceWriteInterval</c>):
/// three frames arrive at once every 60 ms, and the page must play them as smoothly as frames that come one by one.
/// </summary>
public sealed class AudienceBurstTests : BrowserFixture
{
    // No listed listeners: every listener is audience.
    private protected override string[] ServerArguments => ["--Presence:ListedListeners=0", "--Presence:AudienceWriteInterval=00:00:00.060"];

    [Test]
    public async Task Listen_AudienceGetsFramesInBursts_PlaysTheSpeechWithoutGaps()
    {
        var listener = await OpenAsync("/listen/bursts");
        var broadcaster = await OpenAsync("/broadcast/bursts");
        float[] heard = await BroadcastAndRecordAsync(listener, broadcaster);
        double correlation = BestWindowCorrelation(heard);
        double latency = await listener.EvaluateAsync<double>("() => window.wsaudioRoom.getStats().streams[0].latencyMs");
        int underruns = await listener.EvaluateAsync<int>("() => window.wsaudioRoom.getStats().streams[0].underruns");
        int concealed = await listener.EvaluateAsync<int>("() => window.wsaudioRoom.getStats().streams[0].concealed");
        TestContext.Out.WriteLine($"audience listener: correlation {correlation:F3}, latency {latency:F0} ms, underruns {underruns}, concealed {concealed}");

        Assert.Multiple(() =>
        {
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(concealed, Is.EqualTo(0), "no frame was missing when its turn to play came");
            Assert.That(latency, Is.LessThan(500));
        });
    }
}
