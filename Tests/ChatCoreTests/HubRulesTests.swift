import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// The hub's rules, with in-memory recipients and no socket: who hears what, and when.
@Suite struct HubRulesTests {
    /// How long to wait for something that happens at once unless the machine is very busy.
    static let patience = TestTime.expected

    /// Runs `body` with a fresh hub (by default) whose timers run meanwhile, as a server runs them.
    static func withRoom(_ hub: ChatHub = ChatHub(), _ body: (Room) async throws -> Void) async throws {
        try await hub.withTimersRunning { try await body(Room(hub: hub)) }
    }

    /// A hub and a way to join it.
    struct Room {
        let hub: ChatHub

        func join(_ name: String, format: WireFormat = .plain) async throws -> (SessionID, MemoryRecipient) {
            let recipient = MemoryRecipient()
            recipient.format = format
            let id = try await self.hub.join(
                nickname: try Nickname(validating: name),
                recipient: recipient,
                address: "192.0.2.1:4000"
            )
            try await recipient.lines(until: { $0.contains("Welcome to slashchat, \(name)!") })
            return (id, recipient)
        }
    }

    @Test func everyoneAlreadyThereHearsAJoinTheJoinerDoesNot() async throws {
        try await Self.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (_, bob) = try await room.join("bob")
            try await alice.lines(untilLine: "* bob joined #main")
            #expect(try await bob.linesAfterWaiting().isEmpty)
        }
    }

    @Test func aBurstOfJoinsReachesEachMemberInOneSend() async throws {
        try await Self.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let before = alice.sendCount
            for name in ["b1", "b2", "b3", "b4", "b5"] {
                let recipient = MemoryRecipient()
                _ = try await room.hub.join(
                    nickname: try Nickname(validating: name),
                    recipient: recipient,
                    address: "x:1"
                )
            }
            try await alice.lines(untilLine: "* b5 joined #main")
            #expect(alice.sendCount - before == 1)
        }
    }

    @Test func leavingTellsTheRoomWhy() async throws {
        try await Self.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (bobID, _) = try await room.join("bob")
            await room.hub.leave(bobID, reason: "quit: lunch")
            try await alice.lines(untilLine: "* bob left #main (quit: lunch)")
        }
    }

    @Test func messagesReachEveryoneButTheirPlainSender() async throws {
        try await Self.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            let (_, bob) = try await room.join("bob")
            let (_, carol) = try await room.join("carol", format: .json)
            await room.hub.say("hello :tada:", from: aliceID)
            try await bob.lines(untilLine: "<alice> hello 🎉")
            let json = try await carol.lines(until: { $0.contains("hello 🎉") })
            #expect(try WireFormat.decodeJSON(json.last!).from == "alice")
            #expect(try await alice.linesAfterWaiting().contains("<alice> hello 🎉") == false)
        }
    }

    @Test func ignoringSomeoneHidesTheirMessagesAndComings() async throws {
        try await Self.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            try await room.hub.ignore("bob", by: aliceID)
            try await alice.lines(until: { $0.hasPrefix("* You are now ignoring bob") })
            let (bobID, _) = try await room.join("bob")
            let (carolID, _) = try await room.join("carol")
            await room.hub.say("can you hear me", from: bobID)
            await room.hub.say("carol here", from: carolID)
            let lines = try await alice.lines(untilLine: "<carol> carol here")
            #expect(lines.contains("* carol joined #main"))
            #expect(!lines.contains { $0.contains("bob") })
            await room.hub.leave(bobID, reason: nil)
            #expect(!(try await alice.linesAfterWaiting()).contains { $0.contains("bob") })
        }
    }

    @Test func aPrivateMessageToSomeoneAwayComesBackWithTheirAwayMessage() async throws {
        try await Self.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            let (bobID, bob) = try await room.join("bob")
            await room.hub.setAway(bobID, message: "lunch")
            try await bob.lines(untilLine: "* You are marked as away: lunch")
            try await room.hub.sendPrivateMessage("hi there", to: "BOB", from: aliceID)
            try await bob.lines(untilLine: "[PM from alice] hi there")
            try await alice.lines(untilLine: "* bob is away: lunch")
        }
    }

    @Test func aPrivateMessageGoesToItsRecipientOnlyAndReplyFindsTheSender() async throws {
        try await Self.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            let (bobID, bob) = try await room.join("bob")
            let (_, carol) = try await room.join("carol")
            try await room.hub.sendPrivateMessage("psst", to: "bob", from: aliceID)
            try await bob.lines(untilLine: "[PM from alice] psst")
            try await room.hub.reply("what?", from: bobID)
            try await alice.lines(untilLine: "[PM from bob] what?")
            #expect(!(try await carol.linesAfterWaiting()).contains { $0.contains("PM") })
        }
    }

    @Test func aPrivateMessageToNobodyIsAnError() async throws {
        try await Self.withRoom { room in
            let (aliceID, _) = try await room.join("alice")
            await #expect(throws: CommandError.self) {
                try await room.hub.sendPrivateMessage("hello?", to: "ghost", from: aliceID)
            }
        }
    }

    @Test func funOffHidesOtherPeoplesBlocksButNotOnesOwn() async throws {
        try await Self.withRoom { room in
            let (aliceID, alice) = try await room.join("alice")
            let (bobID, bob) = try await room.join("bob")
            await room.hub.setFunMuted(true, for: bobID)
            try await room.hub.postBlock(["(o o)"], command: "eyes", from: aliceID, toRoom: true)
            try await alice.lines(untilLine: "* alice ran /eyes")
            #expect(!(try await bob.linesAfterWaiting()).contains("* alice ran /eyes"))
            try await room.hub.postBlock(["(- -)"], command: "eyes", from: bobID, toRoom: true)
            try await bob.lines(untilLine: "* bob ran /eyes")
            try await alice.lines(untilLine: "* bob ran /eyes")
        }
    }

    @Test func aKickTellsTheKickedClosesThemAndTellsTheRoom() async throws {
        try await Self.withRoom { room in
            let (_, alice) = try await room.join("alice")
            let (_, bob) = try await room.join("bob")
            #expect(await room.hub.kick("bob", reason: "spam"))
            try await bob.lines(untilLine: "! You have been disconnected: spam.")
            #expect(bob.isClosed)
            try await alice.lines(untilLine: "* bob left #main (spam)")
            #expect(await room.hub.sessionID(of: "bob") == nil)
            #expect(await room.hub.kick("nobody", reason: "x") == false)
        }
    }

    @Test func aTakenNicknameIsRefusedInAnyCase() async throws {
        try await Self.withRoom { room in
            _ = try await room.join("alice")
            await #expect(throws: CommandError.self) {
                _ = try await room.hub.join(
                    nickname: try Nickname(validating: "ALICE"),
                    recipient: MemoryRecipient(),
                    address: "x:1"
                )
            }
        }
    }

    @Test func aBigRoomHearsArrivalsAndDeparturesSummedUpOnceAMinute() async throws {
        // A manual clock: the minute passes when the test says, never early and without a minute of waiting.
        let clock = ManualClock()
        let hub = ChatHub(bigRoomSize: 3, bigRoomSummaryInterval: .seconds(60), clock: clock)
        try await Self.withRoom(hub) { room in
            let (_, alice) = try await room.join("alice")
            _ = try await room.join("bob")
            _ = try await room.join("carol")
            // Join notices of a small room wait a few milliseconds to share a write.
            #expect(await Deadline.poll(within: Self.patience) { clock.sleeperCount == 1 })
            clock.advance(by: .seconds(1))
            try await alice.lines(untilLine: "* carol joined #main")
            let (danID, _) = try await room.join("dan")
            _ = try await room.join("erin")
            await room.hub.leave(danID, reason: "quit")
            // The summary is due in a minute, not before.
            #expect(await Deadline.poll(within: Self.patience) { clock.sleeperCount == 1 })
            clock.advance(by: .seconds(59))
            #expect(try await alice.linesAfterWaiting().isEmpty)
            clock.advance(by: .seconds(1))
            let summary = try await alice.lines(untilLine: "* 2 joined and 1 left #main")
            #expect(!summary.contains { $0.contains("dan") || $0.contains("erin") })
            // Small rooms are told one by one, and whoever moves into a big room hears that they are in.
            let (fayID, fay) = try await room.join("fay")
            try await room.hub.switchRoom(fayID, to: "#side")
            try await fay.lines(untilLine: "* fay joined #side")
            #expect(await Deadline.poll(within: Self.patience) { clock.sleeperCount == 1 })
            clock.advance(by: .seconds(60))
            try await alice.lines(untilLine: "* 1 joined and 1 left #main")
        }
    }

    @Test func sessionIDsCarryTheNodeAndNeverRepeat() {
        let ids = (0..<1000).map { _ in SessionID.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.node == SessionID.localNode })
        #expect(SessionID(node: 1, serial: 7) != SessionID(node: 2, serial: 7))
    }
}
