using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Protocol;

/// <summary>Whatever bytes arrive, the parsers answer with a status and never throw.</summary>
public sealed class ParserPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static readonly string[] Golden = ProtocolVectors.Messages()
        .Select(c => ((JsonElement)c.Arguments[0]!).GetProperty("json").GetString()!)
        .ToArray();

    [Test]
    public void TryRead_AnyBytes_NeverThrowsAndValidFramesRoundTrip()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var error = AudioFrameHeader.TryRead(bytes, out var header);
            if (error != FrameError.None)
            {
                return true;
            }

            var again = new byte[bytes.Length];
            header.WriteFrame(again, bytes.AsSpan(ProtocolConstants.HeaderSize));
            return again.AsSpan().SequenceEqual(bytes);
        }).Check(Runs);
    }

    [Test]
    public void TryRead_FramesWithValidPrefix_NeverThrow()
    {
        // Random bytes rarely start with version 1 and type 1; these do, so the deeper checks run too.
        var frames = ArbMap.Default.ArbFor<byte[]>().Generator.Select(tail => (byte[])[1, 1, .. tail]);
        Prop.ForAll(Arb.From(frames), bytes =>
        {
            AudioFrameHeader.TryRead(bytes, out _);
            return true;
        }).Check(Runs);
    }

    [Test]
    public void TryRead_AnyBytesAsJson_NeverThrowsFromEitherSide()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => ReadsCleanly(bytes)).Check(Runs);
    }

    [Test]
    public void TryRead_AnyString_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => text is null || ReadsCleanly(Encoding.UTF8.GetBytes(text))).Check(Runs);
    }

    [Test]
    public void TryRead_MutatedGoldenMessages_NeverThrow()
    {
        var mutated =
            from index in Gen.Choose(0, Golden.Length - 1)
            from position in Gen.Choose(0, 1000)
            from kind in Gen.Choose(0, 3)
            from value in Gen.Choose(0, 255)
            select Mutate(Encoding.UTF8.GetBytes(Golden[index]), position, kind, (byte)value);
        Prop.ForAll(Arb.From(mutated), bytes => ReadsCleanly(bytes)).Check(Runs);
    }

    private static byte[] Mutate(byte[] json, int position, int kind, byte value)
    {
        int at = position % json.Length;
        return kind switch
        {
            0 => [.. json[..at], value, .. json[(at + 1)..]],   // replace a byte
            1 => [.. json[..at], value, .. json[at..]],         // insert a byte
            2 => json[..at],                                    // truncate
            _ => [.. json[..at], .. json[(at + 1)..]],          // delete a byte
        };
    }

    private static bool ReadsCleanly(byte[] bytes)
    {
        foreach (var sender in new[] { MessageSender.Client, MessageSender.Server })
        {
            var status = ControlMessageSerializer.TryRead(bytes, sender, out var message, out string detail);
            if (status == ReadStatus.Ok)
            {
                ControlMessageSerializer.Serialize(message!);
            }
            else if (message is not null || detail.Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
