import ChatTesting
import Foundation
import Testing

/// The real `server` with `--ssh-port`, and the real OpenSSH client: the host key's printed fingerprint is the one
/// `ssh-keyscan` sees, across a restart, and `ssh` in a terminal (tmux) chats with a plain TCP user, keeps what is
/// being typed while a message arrives, and exits 0 after `/quit`.
@Suite(
    .enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason),
    .enabled(
        if: OpenSSH.ssh != nil && OpenSSH.keyscan != nil && OpenSSH.keygen != nil && TmuxSession.executable != nil,
        "OpenSSH's client (openssh-client) or tmux is not installed"
    )
)
struct OpenSSHClientTests {
    /// Starts the server with an SSH listener on a free port; its SSH port and the fingerprint it printed.
    private static func start(in directory: TemporaryDirectory) async throws -> (ServerProcess, Int, String) {
        let server = try await ServerProcess.start(dataDirectory: directory.path, arguments: ["--ssh-port", "0"])
        var lines: [String] = []
        let announced = "slashchat ssh host key "
        let found = await Deadline.poll(within: TestTime.expected) {
            lines = server.standardOutput.split(separator: "\n").map(String.init)
            return lines.contains { $0.hasPrefix(announced) }
        }
        guard found, let keyLine = lines.firstIndex(where: { $0.hasPrefix(announced) }), keyLine > 0 else {
            server.kill()
            throw ExpectationFailure("no host key line; stdout: \(lines) stderr: \(server.standardError)")
        }
        // The SSH listener's line, then the fingerprint's, right after it.
        let listening = lines[keyLine - 1]
        let prefix = "slashchat listening on 127.0.0.1:"
        #expect(listening.hasPrefix(prefix) && listening.hasSuffix(" (ssh)"), "\(lines)")
        let port = try #require(Int(listening.dropFirst(prefix.count).dropLast(" (ssh)".count)))
        let fingerprint = String(lines[keyLine].dropFirst(announced.count))
        #expect(fingerprint.hasPrefix("SHA256:") && !fingerprint.hasSuffix("="))
        return (server, port, fingerprint)
    }

    /// `ssh-keyscan`'s known-hosts lines for the server's Ed25519 key, written to `file`.
    private static func scan(port: Int, into file: String) async throws {
        let keyscan = try #require(OpenSSH.keyscan)
        let (status, output) = try await SpawnedCommand.run([keyscan, "-p", "\(port)", "-t", "ed25519", "127.0.0.1"])
        #expect(status == 0, "\(output)")
        let keys = output.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(" ssh-ed25519 ") }
        #expect(keys.count == 1, "\(output)")
        try (keys.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// What `ssh-keygen -lf` prints for a known-hosts or key file.
    private static func fingerprints(of file: String) async throws -> String {
        try await SpawnedCommand.run([try #require(OpenSSH.keygen), "-lf", file]).output
    }

    @Test func sshKeyscanSeesThePrintedFingerprintAcrossARestart() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (first, port, fingerprint) = try await Self.start(in: directory)
            defer { first.kill() }
            let scanned = directory.file("scanned")
            try await Self.scan(port: port, into: scanned)
            #expect(try await Self.fingerprints(of: scanned).contains(" \(fingerprint) "))
            first.kill()

            let (second, _, again) = try await Self.start(in: directory)
            defer { second.kill() }
            #expect(again == fingerprint, "the same host key after a restart: no warning for returning users")
        }
    }

    @Test func sshInATerminalChatsWithAPlainUserKeepsTheTypedLineAndQuitsWithZero() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let (server, port, _) = try await Self.start(in: directory)
            defer { server.kill() }
            // The host key as ssh-keyscan sees it, so `ssh` checks it strictly; and a key of alice's own.
            let knownHosts = directory.file("known_hosts")
            try await Self.scan(port: port, into: knownHosts)
            let identity = directory.file("id_ed25519")
            _ = try await SpawnedCommand.run([
                try #require(OpenSSH.keygen), "-q", "-t", "ed25519", "-N", "", "-f", identity,
            ])
            let bob = try await LineClient.connect(port: server.port, name: "bob")
            _ = try await bob.join(as: "bob")

            let command = [
                try #require(OpenSSH.ssh), "-F", "/dev/null", "-p", "\(port)", "-i", identity,
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                "-o", "UserKnownHostsFile=\(knownHosts)", "-o", "StrictHostKeyChecking=yes",
                "alice@127.0.0.1",
            ]
            try await TmuxSession.with(in: directory.path, running: command, columns: 80) { ssh in
                try await ssh.waitForScreen(containing: "Welcome to slashchat, alice!")
                try await bob.expectLine(containing: "* alice joined #main")

                // A message arriving while alice types leaves what she typed on her prompt line.
                try await ssh.typeWithoutEnter("half typed")
                try await ssh.waitForScreen("the typed text on the prompt") {
                    Self.promptLine(of: $0) == "> half typed"
                }
                try await bob.send("hello alice")
                try await ssh.waitForScreen("bob's line above the typed text") { screen in
                    screen.contains { $0.hasSuffix("<bob> hello alice") }
                        && Self.promptLine(of: screen) == "> half typed"
                }
                try await ssh.press("Enter")
                try await bob.expectLine(containing: "<alice> half typed")

                try await ssh.type("/quit")
                #expect(try await ssh.exitStatus() == 0)
                try await bob.expectLine(containing: "* alice left #main")
            }
            await bob.close()
        }
    }

    /// The prompt line: the last line with anything on it.
    private static func promptLine(of screen: [String]) -> String? {
        screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// Where OpenSSH's client programs are installed, if they are.
private enum OpenSSH {
    static let ssh = CommandRun.find("ssh")
    static let keyscan = CommandRun.find("ssh-keyscan")
    static let keygen = CommandRun.find("ssh-keygen")
}
