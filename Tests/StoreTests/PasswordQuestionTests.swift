import ChatCore
import ChatTesting
import Testing

extension ScryptBoundTests {
    /// The password question is its own state: leaving at it is not a wrong password, and no password can read as
    /// the command that leaves.
    @Suite struct PasswordQuestionTests {
        @Test func quitAtThePasswordQuestionLeavesWithoutAFailure() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")

                let leaver = try await server.connect("leaver")
                try await leaver.pick("alice")
                try await leaver.send("/quit")
                let closing = try await leaver.expectClosed()
                #expect(closing.contains("* Goodbye!"), "\(closing)")
                #expect(!closing.contains { $0.contains("Wrong password") }, "\(closing)")
                // Nothing counts against the nickname or the address: the next login is checked at once.
                #expect(server.server.hub.accountLimits.login.delay(nickname: "alice", address: "127.0.0.1") == .zero)

                let again = try await server.connect("alice again")
                try await again.logIn(as: "alice", password: "secret123")
            }
        }

        @Test func modeAtThePasswordQuestionSwitchesAndAsksAgain() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")

                let again = try await server.connect("alice again")
                try await again.pick("alice")
                try await again.send("/mode json")
                try await again.expectLine(containing: #""field":"password""#)
                try await again.send("secret123")
                try await again.expectLine(containing: #""type":"welcome""#)
            }
        }

        @Test func refusesAPasswordThatStartsWithASlash() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await alice.send("/register /quitquit")
                #expect(
                    try await alice.nextLine()
                        == "! A password cannot start with / (at the password question, /quit leaves)."
                )
            }
        }
    }
}
