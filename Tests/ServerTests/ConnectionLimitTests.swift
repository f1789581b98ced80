import ChatCore
import ChatTesting
import Testing

/// Clients that strain the server: too many of them, one that never reads, ones that vanish without `/quit`.
@Suite struct ConnectionLimitTests {
    @Test func refusesAConnectionBeyondMaxClients() async throws {
        try await TestServer.withServer(.loopback(maxClients: 2)) { server in
            let first = try await server.connect("first")
            try await first.expectLine(containing: "Choose a nickname")
            _ = try await server.join("bob")

            let third = try await server.connect("third")
            let lines = try await third.expectClosed()
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("! ") == true)
            #expect(lines.first?.contains("full") == true)

            // A slot frees up when someone leaves.
            await first.close()
            await server.waitForConnectionCount(1)
            let fourth = try await server.connect("fourth")
            try await fourth.join(as: "dave")
        }
    }

    @Test func dropsAClientThatStopsReadingAndKeepsTheRoomGoing() async throws {
        try await TestServer.withServer(.loopback(floodRate: 0, outboxCapacity: 64 * 1024)) { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            let slow = try await server.connect("slow", readsInbound: false, receiveBufferSize: 4096)
            try await slow.send("slow")
            #expect(try await alice.nextLine() == "* slow joined #main")
            #expect(try await bob.nextLine() == "* slow joined #main")

            // Batches of 20 KB, each read by bob before the next: bob's backlog stays far below the 64 KiB cap,
            // while slow's grows by 20 KB a batch once its kernel buffers are full.
            let payload = String(repeating: "z", count: 1000)
            let batchSize = 20
            var sent = 0
            var dropNotice: String?
            batches: for _ in 0..<500 {
                try await alice.sendRaw((sent..<(sent + batchSize)).flatMap { Array("\($0) \(payload)\n".utf8) })
                sent += batchSize
                let lastOfBatch = "<alice> \(sent - 1) "
                for _ in 0...batchSize {
                    let line = try await bob.nextLine()
                    if line.hasPrefix("* slow left") {
                        dropNotice = line
                    } else if line.hasPrefix(lastOfBatch) {
                        break
                    } else {
                        #expect(line.hasPrefix("<alice> "), "bob got \(line.prefix(80))")
                    }
                }
                if dropNotice != nil { break batches }
            }

            let notice = try #require(dropNotice, "slow was never dropped after \(sent) lines of 1 KB")
            #expect(notice.hasPrefix("* slow left #main"))
            #expect(notice.contains("not reading"))
            try await alice.expectLine(containing: "slow left #main", maxSkipped: 0)
            await server.waitForConnectionCount(2)

            try await alice.send("still talking")
            #expect(try await bob.nextLine() == "<alice> still talking")
            try await bob.send("/who")
            #expect(try await bob.nextLine() == "* #main (2): alice, bob")
        }
    }

    @Test func tellsTheRoomWhenAClientClosesWithoutQuitting() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            await alice.close()
            #expect(try await bob.nextLine() == "* alice left #main")
            await server.waitForConnectionCount(1)
        }
    }

    @Test func tellsTheRoomWhenAClientResetsTheConnection() async throws {
        try await TestServer.withServer { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await alice.reset()
            #expect(try await bob.nextLine() == "* alice left #main (connection lost)")
            await server.waitForConnectionCount(1)
            let again = try await server.connect("alice again")
            try await again.join(as: "alice")
        }
    }

    @Test func saysNothingWhenAClientLeavesBeforeJoining() async throws {
        try await TestServer.withServer { server in
            let bob = try await server.join("bob")
            let shy = try await server.connect("shy")
            try await shy.expectLine(containing: "Choose a nickname")
            await shy.close()
            await server.waitForConnectionCount(1)
            try await bob.expectNoLine(within: .milliseconds(250))
        }
    }
}
