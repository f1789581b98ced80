import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// Several rooms at once, as IRC users have them, with in-memory recipients: plain users beside them keep their
/// one room and hear exactly what they heard before.
@Suite struct HubChannelsTests {
    /// A user who joins the chat in no room, as the IRC door's users do.
    private static func joinInNoRoom(_ name: String, _ hub: ChatHub) async throws -> (SessionID, MemoryRecipient) {
        let recipient = MemoryRecipient()
        let id = try await hub.join(
            nickname: try Nickname(validating: name),
            recipient: recipient,
            address: "192.0.2.2:4000",
            entersLobby: false
        )
        return (id, recipient)
    }

    @Test func aUserInNoRoomIsWelcomedByNobodyAndPostsNothing() async throws {
        try await HubRulesTests.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (ircID, irc) = try await Self.joinInNoRoom("irc", room.hub)
            #expect(try await alice.linesAfterWaiting().isEmpty, "nobody hears of a user in no room")
            #expect(try await irc.linesAfterWaiting().isEmpty, "no welcome: the door greets its own way")
            #expect(await room.hub.post("hello?", kind: .message, from: ircID) == nil)
            #expect(await room.hub.roomsOf(ircID).isEmpty)
            #expect(await room.hub.describe("irc")?.hasPrefix("irc is in no room") == true)
        }
    }

    @Test func enteringSeveralRoomsHearsEachAndLinesGoToTheFocus() async throws {
        try await HubRulesTests.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (bobID, bob) = try await room.join("bob")
            try await room.hub.switchRoom(bobID, to: "#den")
            let (ircID, irc) = try await Self.joinInNoRoom("irc", room.hub)
            let (main, isNew) = try await room.hub.enter(ircID, room: "#MAIN")
            #expect(main.name == "#main" && isNew)
            try await alice.lines(untilLine: "* irc joined #main")
            try await irc.lines(untilLine: "* irc joined #main")
            try await room.hub.enter(ircID, room: "#den")
            try await bob.lines(untilLine: "* irc joined #den")
            #expect(await room.hub.roomsOf(ircID).map(\.name) == ["#main", "#den"])
            // Lines go to the room last entered, or the one chosen since.
            await room.hub.say("in the den", from: ircID)
            try await bob.lines(untilLine: "<irc> in the den")
            #expect(await room.hub.focus(ircID, on: try RoomName(validating: "#main")))
            await room.hub.say("in main", from: ircID)
            try await alice.lines(untilLine: "<irc> in main")
            #expect(try await bob.linesAfterWaiting().isEmpty, "the den heard nothing of #main")
            // Entering a room one is in only moves the focus, silently.
            let (_, again) = try await room.hub.enter(ircID, room: "#den")
            #expect(!again)
            #expect(try await bob.linesAfterWaiting().isEmpty)
            #expect(await room.hub.roomList().map { "\($0.room) \($0.members)" } == ["#den 2", "#main 2"])
            #expect(await room.hub.describe("irc")?.hasPrefix("irc is in #den, #main") == true)
        }
    }

    @Test func partingLeavesOneRoomAndTheLastMemberTakesTheRoomAway() async throws {
        try await HubRulesTests.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (ircID, irc) = try await Self.joinInNoRoom("irc", room.hub)
            try await room.hub.enter(ircID, room: "#main")
            try await room.hub.enter(ircID, room: "#side")
            try await room.hub.part(ircID, room: try RoomName(validating: "#main"), reason: "bye")
            try await alice.lines(untilLine: "* irc left #main (bye)")
            try await irc.lines(untilLine: "* irc left #main (bye)")
            await #expect(throws: CommandError.failed("You are not in #main.")) {
                try await room.hub.part(ircID, room: try RoomName(validating: "#main"), reason: nil)
            }
            try await room.hub.part(ircID, room: try RoomName(validating: "#side"), reason: nil)
            #expect(await room.hub.roomList().map { "\($0.room)" } == ["#main"], "#side went with its last member")
        }
    }

    @Test func someoneSharingTwoRoomsHearsALeaveAndARenameOnce() async throws {
        try await HubRulesTests.withRoom { room in
            let (watcherID, watcher) = try await Self.joinInNoRoom("watcher", room.hub)
            let (ircID, _) = try await Self.joinInNoRoom("irc", room.hub)
            for name in ["#a", "#b"] {
                try await room.hub.enter(watcherID, room: name)
                try await room.hub.enter(ircID, room: name)
            }
            _ = try await watcher.linesAfterWaiting()
            try await room.hub.rename(ircID, to: "irc2")
            #expect(try await watcher.linesAfterWaiting() == ["* irc is now known as irc2"])
            await room.hub.leave(ircID, reason: "gone")
            let heard = try await watcher.linesAfterWaiting()
            #expect(heard.count == 1 && heard[0].hasPrefix("* irc2 left #"), "\(heard)")
        }
    }

    @Test func aPlainJoinStillMovesFromTheOneRoom() async throws {
        try await HubRulesTests.withRoom { room in
            let (aliceID, _) = try await room.join("alice")
            try await room.hub.switchRoom(aliceID, to: "#den")
            #expect(await room.hub.roomsOf(aliceID).map(\.name) == ["#den"])
        }
    }
}
