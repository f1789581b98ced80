import ChatCore
import ChatTesting
import Testing

extension ScryptBoundTests {
    /// At most ``PasswordChangeLimit/perAccountPerHour`` tries of `/password` per account an hour: each costs two
    /// hashes and a right old password meets no guessing throttle (issue 19, item 1).
    @Suite struct PasswordChangeLimitTests {
        @Test func refusesTheSixthChangeWithinAnHourBeforeHashingAnything() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await alice.register(password: "secret0")
                for round in 1...PasswordChangeLimit.perAccountPerHour {
                    try await alice.send("/password secret\(round - 1) secret\(round)")
                    try await alice.expectLine(containing: "* Password changed.")
                }
                try await alice.send("/password secret5 secret6")
                let refused = try await alice.expectLine(where: { $0.hasPrefix("! ") }, described: "a refusal")
                let refusal = "! The password of alice may be changed 5 times an hour; try again in "
                #expect(refused == refusal + "13 minutes." || refused == refusal + "12 minutes.", "\(refused)")
            }
        }

        @Test func countsEveryTryPerAccountAndRefillsOneEvery12Minutes() {
            let limit = PasswordChangeLimit()
            let start = ContinuousClock.now
            for _ in 1...PasswordChangeLimit.perAccountPerHour {
                #expect(limit.take(for: "Alice", now: start) == nil)
            }
            #expect(limit.take(for: "alice", now: start) != nil, "the cap is per account, whatever the case")
            #expect(limit.take(for: "bob", now: start) == nil)
            #expect(limit.take(for: "alice", now: start + .seconds(12 * 60 + 1)) == nil)
            limit.giveBack(for: "bob")
        }
    }
}
