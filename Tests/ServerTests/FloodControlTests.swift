import ChatCore
import ChatTesting
import Testing

/// Flood control: a client over its rate is slowed down and told so, loses nothing, and slows nobody else.
@Suite struct FloodControlTests {
    @Test func delaysAFloodWithoutLosingLinesOrSlowingOthers() async throws {
        try await TestServer.withServer(.loopback(floodRate: 5, floodBurst: 5)) { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            let (alice, bob, carol) = (clients[0], clients[1], clients[2])
            // Let the bucket refill after the nickname line, so the burst is the full 5.
            try await Task.sleep(for: .milliseconds(300))

            let count = 50
            let blast = (1...count).flatMap { Array("flood \($0)\n".utf8) }
            let start = ContinuousClock.now
            try await alice.sendRaw(blast)

            var arrivals: [(number: Int, at: Duration)] = []
            var carolSentAt: Duration?
            var carolArrivedAt: Duration?
            for _ in 0..<(count + 5) where arrivals.count < count || carolArrivedAt == nil {
                let line = try await bob.nextLine(timeout: .seconds(3))
                let now = start.duration(to: .now)
                if line.hasPrefix("<alice> flood "), let number = Int(line.dropFirst("<alice> flood ".count)) {
                    arrivals.append((number, now))
                    if arrivals.count == 8 {
                        // Mid-flood: someone else talks, and must not wait behind alice's backlog.
                        carolSentAt = start.duration(to: .now)
                        try await carol.send("am I delayed?")
                    }
                } else if line == "<carol> am I delayed?" {
                    carolArrivedAt = now
                } else {
                    Issue.record("bob got an unexpected line: \(line)")
                }
            }

            #expect(arrivals.map(\.number) == Array(1...count), "every line arrives, in order")
            let withinFirstSecond = arrivals.filter { $0.at < .seconds(1) }.count
            #expect(withinFirstSecond < 15, "\(withinFirstSecond) of \(count) lines arrived within the first second")
            if let last = arrivals.last {
                #expect(last.at > .seconds(5), "the last line arrived after \(last.at)")
            }
            if let carolSentAt, let carolArrivedAt {
                #expect(carolArrivedAt - carolSentAt < .milliseconds(500))
            } else {
                Issue.record("carol's message never reached bob")
            }
            let notice = try await alice.expectLine(containing: "Slow down")
            #expect(notice.hasPrefix("* "))
        }
    }

    @Test func doesNotWarnAClientWithinItsBurst() async throws {
        try await TestServer.withServer(.loopback(floodRate: 5, floodBurst: 5)) { server in
            let clients = try await server.joinEveryone("alice", "bob")
            let (alice, bob) = (clients[0], clients[1])
            try await Task.sleep(for: .milliseconds(300))
            try await alice.sendRaw((1...4).flatMap { Array("line \($0)\n".utf8) })
            for number in 1...4 {
                // Generous for a loaded machine: what this test checks is that alice is not told to slow down.
                #expect(try await bob.nextLine(timeout: .seconds(3)) == "<alice> line \(number)")
            }
            try await alice.expectNoLine(within: .milliseconds(250))
        }
    }
}
