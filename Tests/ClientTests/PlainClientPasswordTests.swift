import ChatTesting
import Foundation
import Testing

/// A script joining as a registered nickname, against the real server: the first line of input answers the password
/// question, and nothing else is ever sent as a password.
@Suite(
    .enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment),
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason)
)
struct PlainClientPasswordTests {
    /// Patient: password checks are scrypt, and the machine may be busy.
    static let timeout = TestTime.expected

    /// Runs `body` with a real server on which `alice` is registered with the password `secret123`.
    private func withAlice(_ body: (ServerProcess) async throws -> Void) async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let server = try await ServerProcess.start(dataDirectory: directory.path)
            defer { server.kill() }
            let alice = try await LineClient.connect(port: server.port, name: "alice", defaultTimeout: Self.timeout)
            try await alice.join(as: "alice")
            try await alice.send("/register secret123")
            try await alice.expectLine(containing: "* Registered ")
            try await alice.send("/quit")
            _ = try await alice.expectClosed()
            try await body(server)
        }
    }

    /// Logs in as alice over plain TCP and returns the line after the password: the welcome if nothing slowed it.
    private func logInAgain(on server: ServerProcess) async throws -> String {
        let again = try await LineClient.connect(port: server.port, name: "alice again", defaultTimeout: Self.timeout)
        try await again.expectLine(containing: "Choose a nickname")
        try await again.send("alice")
        try await again.expectLine(containing: "Password:")
        try await again.send("secret123")
        return try await again.nextLine()
    }

    @Test func theFirstLineAnswersAndTheRestIsChat() async throws {
        try await self.withAlice { server in
            let run = try await PlainClientRun.run(port: server.port, nickname: "alice", input: "secret123\nhello\n")
            #expect(run.status == 0, "\(run)")
            #expect(run.standardOutput.contains("Welcome to slashchat, alice!"), "\(run)")
            #expect(run.standardOutput.contains("<alice> hello"), "\(run)")
        }
    }

    @Test func aCommandIsNeverSentAsThePassword() async throws {
        try await self.withAlice { server in
            let run = try await PlainClientRun.run(port: server.port, nickname: "alice", input: "/roll 2d6\n")
            #expect(run.status == 3, "\(run)")
            #expect(!run.standardOutput.contains("Wrong password"), "\(run)")
            #expect(run.standardError.contains("alice is registered at 127.0.0.1:"), "\(run)")
            #expect(run.standardError.contains("the first line of input must be its password"), "\(run)")
            // No failure was counted: the owner's next login is let in at once.
            #expect(try await self.logInAgain(on: server).contains("Welcome to slashchat, alice!"))
        }
    }

    @Test func inputThatEndsAtTheQuestionCountsNoFailure() async throws {
        try await self.withAlice { server in
            let run = try await PlainClientRun.run(port: server.port, nickname: "alice", input: "")
            #expect(run.status == 3, "\(run)")
            #expect(!run.standardOutput.contains("Wrong password"), "\(run)")
            #expect(try await self.logInAgain(on: server).contains("Welcome to slashchat, alice!"))
        }
    }

    @Test func aWrongPasswordEndsTheScriptBeforeItsNextLineIsTakenForAnother() async throws {
        try await self.withAlice { server in
            let run = try await PlainClientRun.run(
                port: server.port,
                nickname: "alice",
                input: "wrong-guess\nhello everyone\n"
            )
            #expect(run.status == 3, "\(run)")
            #expect(run.standardOutput.components(separatedBy: "! Wrong password.").count == 2, "\(run)")
            #expect(run.standardError.contains("wrong password for alice at 127.0.0.1:"), "\(run)")
        }
    }
}
