using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class PresenceTests : RelayFixture
{
    [Test]
    public async Task Join_EmptyRoom_ListsOnlyTheNewcomerAndAssignsAStream()
    {
        await using var ada = await TestClient.ConnectAsync(Url);

        var joined = await ada.JoinAsync("presence-1", ParticipantRole.Speaker, "  Ada ");

        Assert.Multiple(() =>
        {
            Assert.That(joined.Room, Is.EqualTo("presence-1"));
            Assert.That(joined.StreamId, Is.Not.Null.And.Not.Zero);
            Assert.That(joined.Participants.Select(p => (p.Id, p.Name, p.Role)), Is.EqualTo(new[] { (joined.ParticipantId, "Ada", ParticipantRole.Speaker) }));
            Assert.That(joined.Streams, Is.Empty);
        });
    }

    [Test]
    public async Task Join_ListenerRole_GetsNoStreamId()
    {
        await using var listener = await TestClient.ConnectAsync(Url);

        var joined = await listener.JoinAsync("presence-2", ParticipantRole.Listener);

        Assert.That(joined.StreamId, Is.Null);
    }

    [Test]
    public async Task Join_SecondParticipant_IsAnnouncedToTheFirstAndListsBoth()
    {
        await using var ada = await TestClient.ConnectAsync(Url);
        var adaJoined = await ada.JoinAsync("presence-3", ParticipantRole.Speaker, "Ada");
        await using var bo = await TestClient.ConnectAsync(Url);

        var boJoined = await bo.JoinAsync("presence-3", ParticipantRole.Listener, "Bo");
        var announced = await ada.NextAsync<ParticipantJoinedMessage>();

        Assert.Multiple(() =>
        {
            Assert.That(announced.Participant.Id, Is.EqualTo(boJoined.ParticipantId));
            Assert.That(announced.Participant.Name, Is.EqualTo("Bo"));
            Assert.That(announced.Participant.Role, Is.EqualTo(ParticipantRole.Listener));
            Assert.That(boJoined.Participants.Select(p => p.Id), Is.EquivalentTo(new[] { adaJoined.ParticipantId, boJoined.ParticipantId }));
            Assert.That(boJoined.ParticipantId, Is.Not.EqualTo(adaJoined.ParticipantId));
        });
    }

    [Test]
    public async Task Leave_Participant_GetsLeftAndOthersSeeReasonLeft()
    {
        await using var ada = await TestClient.ConnectAsync(Url);
        await ada.JoinAsync("presence-4");
        await using var bo = await TestClient.ConnectAsync(Url);
        var boJoined = await bo.JoinAsync("presence-4");
        await ada.NextAsync<ParticipantJoinedMessage>();

        await bo.SendAsync(new LeaveMessage());

        Assert.That((await bo.NextAsync<LeftMessage>()).Room, Is.EqualTo("presence-4"));
        var left = await ada.NextAsync<ParticipantLeftMessage>();
        Assert.That((left.ParticipantId, left.Reason), Is.EqualTo((boJoined.ParticipantId, LeaveReason.Left)));
    }

    [Test]
    public async Task Leave_ThenJoinAnotherRoom_WorksOnTheSameConnection()
    {
        await using var ada = await TestClient.ConnectAsync(Url);
        await ada.JoinAsync("presence-5a");
        await ada.SendAsync(new LeaveMessage());
        await ada.NextAsync<LeftMessage>();

        var joined = await ada.JoinAsync("presence-5b");

        Assert.That(joined.Room, Is.EqualTo("presence-5b"));
        Assert.That(Server.Rooms.Find("presence-5a"), Is.Null, "an emptied room is removed");
    }

    [Test]
    public async Task Disconnect_Participant_OthersSeeReasonDisconnected()
    {
        await using var ada = await TestClient.ConnectAsync(Url);
        await ada.JoinAsync("presence-6");
        var bo = await TestClient.ConnectAsync(Url);
        var boJoined = await bo.JoinAsync("presence-6");
        await ada.NextAsync<ParticipantJoinedMessage>();

        await bo.DisposeAsync();

        var left = await ada.NextAsync<ParticipantLeftMessage>();
        Assert.That((left.ParticipantId, left.Reason), Is.EqualTo((boJoined.ParticipantId, LeaveReason.Disconnected)));
    }

    [Test]
    public async Task Close_ByClient_IsAnsweredWithNormalClosure()
    {
        var ada = await TestClient.ConnectAsync(Url);
        await ada.JoinAsync("presence-7");

        await ada.CloseAsync();

        Assert.That((await ada.Closed).Status, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        await ada.DisposeAsync();
    }

    [Test]
    public async Task Mute_Speaker_IsAnnouncedToEveryoneIncludingItself()
    {
        await using var ada = await TestClient.ConnectAsync(Url);
        var adaJoined = await ada.JoinAsync("presence-8");
        await using var bo = await TestClient.ConnectAsync(Url);
        await bo.JoinAsync("presence-8", ParticipantRole.Listener);
        await ada.NextAsync<ParticipantJoinedMessage>();

        await ada.SendAsync(new MuteMessage { Muted = true });

        foreach (var client in new[] { ada, bo })
        {
            var muted = await client.NextAsync<ParticipantMutedMessage>();
            Assert.That((muted.ParticipantId, muted.Muted), Is.EqualTo((adaJoined.ParticipantId, true)));
        }

        await using var late = await TestClient.ConnectAsync(Url);
        var lateJoined = await late.JoinAsync("presence-8", ParticipantRole.Listener);
        Assert.That(lateJoined.Participants.Single(p => p.Id == adaJoined.ParticipantId).Muted, Is.True);
    }
}
