import ChatCore
import ChatTesting
import Testing

/// Flood control: a client over its rate is slowed down and told so, loses nothing, and slows nobody else.
///
/// Only what a busy machine cannot blur is checked here: order, and lower bounds on time (a slow machine only makes
/// things later). The exact delays and notices are `FloodControlRulesTests`, on a clock the test moves.
@Suite struct FloodControlTests {
    @Test func delaysAFloodWithoutLosingLinesOrSlowingOthers() async throws {
        try await TestServer.withServer(.loopback(floodRate: 5, floodBurst: 5)) { server in
            let clients = try await server.joinEveryone("alice", "bob", "carol")
            let (alice, bob, carol) = (clients[0], clients[1], clients[2])

            let count = 50
            let blast = (1...count).flatMap { Array("flood \($0)\n".utf8) }
            let start = ContinuousClock.now
            try await alice.sendRaw(blast)

            var arrivals: [(number: Int, at: Duration)] = []
            // How many of alice's lines had reached bob when carol's did.
            var carolArrivedAfter: Int?
            for _ in 0..<(count + 5) where arrivals.count < count || carolArrivedAfter == nil {
                let line = try await bob.nextLine()
                let now = start.duration(to: .now)
                if line.hasPrefix("<alice> flood "), let number = Int(line.dropFirst("<alice> flood ".count)) {
                    arrivals.append((number, now))
                    if arrivals.count == 8 {
                        // Mid-flood: someone else talks, and must not wait behind alice's backlog.
                        try await carol.send("am I delayed?")
                    }
                } else if line == "<carol> am I delayed?" {
                    carolArrivedAfter = arrivals.count
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
            // Behind alice's backlog it would come after all 50; alice's delayed lines are the clock here (five a
            // second), so this leaves carol's line several seconds on a busy machine.
            if let carolArrivedAfter {
                #expect(carolArrivedAfter < count - 10, "carol's line came after \(carolArrivedAfter) of alice's")
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
            // The nickname took one of the five tokens; four lines fit in the rest, however fast they come.
            try await alice.sendRaw((1...4).flatMap { Array("line \($0)\n".utf8) })
            for number in 1...4 {
                #expect(try await bob.nextLine() == "<alice> line \(number)")
            }
            // A notice would have been sent before the line that earned it went out to bob, so it is already on
            // its way: a short wait sees it. (A command to sync on would cost the token this test counts on.)
            try await alice.expectNoLine(within: .milliseconds(250))
        }
    }
}
