import ChatCore
import ChatProtocol
import ChatTesting
import Testing

/// `/topic` over TCP: set for the room, shown to whoever enters, cleared, refused when too long, and kept in the
/// store across a restart.
@Suite struct TopicTests {
    @Test func aTopicIsToldToTheRoomAndToWhoeverEntersLater() async throws {
        try await StoreFixture.withServer { server, _ in
            let clients = try await server.joinEveryone("alice", "bob")
            try await clients[0].send("/topic")
            try await clients[0].expectLine(containing: "* #main has no topic. Set one with /topic TEXT.")
            try await clients[0].send("/topic Friday's demo :tada:")
            try await clients[0].expectLine(containing: "* alice set the topic of #main: Friday's demo 🎉")
            try await clients[1].expectLine(containing: "* alice set the topic of #main: Friday's demo 🎉")

            let carol = try await server.join("carol")
            try await carol.expectLine(containing: "* Topic of #main: Friday's demo 🎉 (set by alice)")
            try await carol.send("/topic")
            try await carol.expectLine(containing: "* Topic of #main: Friday's demo 🎉 (set by alice)")

            // Another room has its own (none); back in #main, the topic is told again.
            try await carol.send("/join #games")
            try await carol.send("/topic")
            try await carol.expectLine(containing: "* #games has no topic.")
            try await carol.send("/join #main")
            try await carol.expectLine(containing: "* Topic of #main: Friday's demo 🎉 (set by alice)")

            try await clients[1].send("/topic -")
            try await clients[0].expectLine(containing: "* bob cleared the topic of #main")
            let dave = try await server.join("dave")
            try await dave.send("/topic")
            try await dave.expectLine(containing: "* #main has no topic.")
        }
    }

    @Test func anOverlongTopicIsRefusedAndTheOldOneStays() async throws {
        try await StoreFixture.withServer { server, _ in
            let alice = try await server.join("alice")
            try await alice.send("/topic short")
            try await alice.expectLine(containing: "* alice set the topic of #main: short")
            try await alice.send("/topic " + String(repeating: "x", count: RoomTopic.maximumLength + 1))
            try await alice.expectLine(containing: "! A topic has at most \(RoomTopic.maximumLength) characters.")
            try await alice.send("/topic")
            try await alice.expectLine(containing: "* Topic of #main: short (set by alice)")
        }
    }

    @Test func aTopicIsKeptWithTheRoomAcrossARestart() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            try await StoreFixture.withServer(in: directory) { server, _ in
                let alice = try await server.join("alice")
                try await alice.send("/join #games")
                try await alice.send("/topic chess at noon")
                try await alice.expectLine(containing: "* alice set the topic of #games: chess at noon")
            }
            try await StoreFixture.withServer(in: directory) { server, _ in
                let bob = try await server.join("bob")
                try await bob.send("/join #games")
                try await bob.expectLine(containing: "* Topic of #games: chess at noon (set by alice)")
            }
        }
    }
}
