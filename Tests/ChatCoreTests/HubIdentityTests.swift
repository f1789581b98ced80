import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// The hub's identity rules with in-memory recipients: what follows a person through a rename, a room switch and a
/// departure (see ``NicknameDirectory`` and ``IgnoreList`` for the rules on their own).
@Suite struct HubIdentityTests {
    @Test func ignoresAndReplyTargetsFollowARename() async throws {
        try await HubRulesTests.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            let (bobID, bob) = try await room.join("bob")
            let (carolID, _) = try await room.join("carol")
            try await room.hub.ignore("bob", by: carolID)
            try await room.hub.sendPrivateMessage("psst", to: "alice", from: bobID)
            try await alice.lines(untilLine: "[PM from bob] psst")
            try await room.hub.rename(bobID, to: "rob")
            try await alice.lines(untilLine: "* bob is now known as rob")
            try await bob.lines(untilLine: "* bob is now known as rob")
            #expect(await room.hub.ignoreList(of: carolID) == ["rob"])
            #expect(await room.hub.sessionID(of: "ROB") == bobID)
            #expect(await room.hub.sessionID(of: "bob") == nil)
            try await room.hub.reply("what?", from: aliceID)
            try await bob.lines(untilLine: "[PM from alice] what?")
        }
    }

    @Test func aRenameToATakenNameIsRefusedButOnesOwnInAnotherCaseIsNot() async throws {
        try await HubRulesTests.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            _ = try await room.join("bob")
            await #expect(throws: CommandError.failed("The nickname BOB is taken.")) {
                try await room.hub.rename(aliceID, to: "BOB")
            }
            await #expect(throws: CommandError.failed("You are already called alice.")) {
                try await room.hub.rename(aliceID, to: "alice")
            }
            try await room.hub.rename(aliceID, to: "Alice")
            try await alice.lines(untilLine: "* alice is now known as Alice")
        }
    }

    @Test func aRoomSwitchTellsTheRoomLeftAndTheRoomJoined() async throws {
        try await HubRulesTests.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (bobID, bob) = try await room.join("bob")
            try await room.hub.switchRoom(bobID, to: "#den")
            try await alice.lines(untilLine: "* bob left #main for #den")
            try await bob.lines(untilLine: "* bob joined #den")
            await #expect(throws: CommandError.failed("You are already in #den.")) {
                try await room.hub.switchRoom(bobID, to: "#den")
            }
            #expect(await room.hub.roomList().map { "\($0.room)" } == ["#den", "#main"])
        }
    }

    @Test func aDepartureFreesTheNicknameAndForgetsReplyTargets() async throws {
        try await HubRulesTests.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            let (bobID, _) = try await room.join("bob")
            try await room.hub.sendPrivateMessage("bye", to: "alice", from: bobID)
            try await alice.lines(untilLine: "[PM from bob] bye")
            await room.hub.leave(bobID, reason: nil)
            #expect(await !room.hub.isTaken(try Nickname(validating: "bob")))
            let noOne = "No one has sent you a private message yet, so there is no one to /reply to."
            await #expect(throws: CommandError.failed(noOne)) {
                try await room.hub.reply("wait", from: aliceID)
            }
        }
    }

    @Test func whoisSaysWhereSomeoneIsAndForHowLong() async throws {
        try await HubRulesTests.withRoom { room in
            let (aliceID, _) = try await room.join("alice")
            await room.hub.setAway(aliceID, message: "lunch")
            let description = try #require(await room.hub.describe("ALICE"))
            #expect(description.hasPrefix("alice is in #main, idle "))
            #expect(description.contains("s, connected for "))
            #expect(description.hasSuffix(", away: lunch"))
            #expect(await room.hub.describe("ghost") == nil)
        }
    }
}
