import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// The hub's side of the room bus, against a link in memory: each room's lines in its sequence, whether committed
/// here or elsewhere, with duplicates dropped and gaps read from the store.
struct SequencedDeliveryTests {
    private func join(_ name: String, to hub: ChatHub) async throws -> (SessionID, MemoryRecipient) {
        let recipient = MemoryRecipient()
        let id = try await hub.join(
            nickname: try Nickname(validating: name),
            recipient: recipient,
            address: "192.0.2.1:4000"
        )
        try await recipient.lines(until: { $0.contains("Welcome to slashchat, \(name)!") })
        return (id, recipient)
    }

    private func notice(_ lines: [SequencedMessage], withText: Bool = true) -> ClusterEvent {
        .roomLines([
            ClusterEvent.RoomLines(
                room: "#main",
                first: lines.first!.roomSequence,
                last: lines.last!.roomSequence,
                lines: withText ? lines.map(ClusterEvent.Line.init) : nil
            )
        ])
    }

    @Test func anotherNodesLinesArriveOnceInTheirOrder() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (_, alice) = try await self.join("alice", to: hub)
        let lines = link.commitElsewhere(["one", "two"], from: "bob")
        await hub.receive(self.notice(lines))
        // The same notification again (a reconnect's catch-up overlapping it): nothing twice.
        await hub.receive(self.notice(lines))
        await hub.catchUpWithCluster()
        #expect(try await alice.linesAfterWaiting() == ["<bob> one", "<bob> two"])
    }

    @Test func aGapIsReadFromTheStoreAndDeliveredFirst() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (_, alice) = try await self.join("alice", to: hub)
        let first = link.commitElsewhere(["first"], from: "bob")
        let second = link.commitElsewhere(["second"], from: "carol")
        // The notification of the first is still on its way when the second's arrives.
        await hub.receive(self.notice(second))
        await hub.receive(self.notice(first))
        #expect(try await alice.linesAfterWaiting() == ["<bob> first", "<carol> second"])
        #expect(link.reads == 1)
    }

    @Test func linesTooBigForTheNotificationAreReadFromTheStore() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (_, alice) = try await self.join("alice", to: hub)
        let lines = link.commitElsewhere(["a", "b", "c"], from: "bob")
        await hub.receive(self.notice(lines, withText: false))
        #expect(try await alice.linesAfterWaiting() == ["<bob> a", "<bob> b", "<bob> c"])
    }

    @Test func aLocalLineWaitsForTheLinesCommittedBeforeIt() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (aliceID, _) = try await self.join("alice", to: hub)
        let (_, bob) = try await self.join("bob", to: hub)
        _ = try await bob.linesAfterWaiting()
        link.commitElsewhere(["from elsewhere"], from: "carol")
        await hub.say("from here", from: aliceID)
        #expect(try await bob.linesAfterWaiting() == ["<carol> from elsewhere", "<alice> from here"])
    }

    @Test func linesCommittedBeforeARoomWasFollowedHereAreHistoryNotNews() async throws {
        let link = ScriptedClusterLink()
        link.commitElsewhere(["old news"], from: "bob")
        let hub = ChatHub(cluster: link)
        let (_, alice) = try await self.join("alice", to: hub)
        let fresh = link.commitElsewhere(["fresh"], from: "bob")
        await hub.receive(self.notice(fresh))
        await hub.catchUpWithCluster()
        #expect(try await alice.linesAfterWaiting() == ["<bob> fresh"])
    }

    @Test func aLobbyLeftEmptyHereIsFollowedAfreshByTheNextToEnter() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (aliceID, _) = try await self.join("alice", to: hub)
        await hub.leave(aliceID, reason: "quit")
        link.commitElsewhere((1...5).map { "while nobody was here \($0)" }, from: "carol")
        let (_, bob) = try await self.join("bob", to: hub)
        let fresh = link.commitElsewhere(["now"], from: "carol")
        await hub.receive(self.notice(fresh))
        #expect(try await bob.linesAfterWaiting() == ["<carol> now"])
    }

    @Test func theCatchUpAfterALostConnectionDeliversWhatWasMissedOnce() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (_, alice) = try await self.join("alice", to: hub)
        link.commitElsewhere((1...3).map { "missed \($0)" }, from: "bob")
        await hub.catchUpWithCluster()
        await hub.catchUpWithCluster()
        #expect(try await alice.linesAfterWaiting() == ["<bob> missed 1", "<bob> missed 2", "<bob> missed 3"])
    }

    @Test func aRefusedCommitIsAnErrorToItsSenderAndNewsToNobody() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        let (aliceID, alice) = try await self.join("alice", to: hub)
        let (_, bob) = try await self.join("bob", to: hub)
        _ = try await alice.linesAfterWaiting()
        _ = try await bob.linesAfterWaiting()
        link.failsCommits = true
        await hub.say("lost?", from: aliceID)
        #expect(
            try await alice.linesAfterWaiting() == [
                "! Your message could not be saved, so it was not sent: the database did not answer within 5 seconds"
            ]
        )
        #expect(try await bob.linesAfterWaiting().isEmpty)
    }

    @Test func aJoinIsPublishedAndClaimsTheNicknameClusterWide() async throws {
        let link = ScriptedClusterLink()
        let hub = ChatHub(cluster: link)
        _ = try await self.join("alice", to: hub)
        #expect(try await link.presence(of: "ALICE")?.node == "node-test")
        let published = link.published.compactMap { event -> String? in
            guard case .roomEvent(let roomEvent) = event else { return nil }
            return roomEvent.event.text
        }
        #expect(published == ["alice joined #main"])
        await #expect(throws: CommandError.self) {
            _ = try await hub.join(
                nickname: try Nickname(validating: "Alice"),
                recipient: MemoryRecipient(),
                address: "192.0.2.2:4000"
            )
        }
    }
}
