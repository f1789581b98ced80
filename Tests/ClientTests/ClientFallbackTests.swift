import ChatCore
import ChatTesting
import Testing

/// The real `client` binary with `--server`: further addresses of the same chat, tried in order when one cannot be
/// reached. Without a terminal, as a script runs it.
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct ClientFallbackTests {
    @Test func aDeadFirstAddressIsNamedAndTheNextOneJoinsAndChats() async throws {
        try await TestServer.withServer { server in
            let bob = try await PeerClient.join(port: server.port, as: "bob")
            let dead = try ClosedPort.take()
            let run = try await PlainClientRun.run(
                port: dead,
                nickname: "alice",
                arguments: ["--server", "127.0.0.1:\(server.port)"],
                input: "hi bob\n"
            )
            #expect(run.status == 0, "\(run)")
            #expect(run.standardOutput.contains("Welcome to slashchat, alice!"), "\(run)")
            #expect(
                run.standardError
                    == "cannot connect to 127.0.0.1:\(dead): connection refused; is the server running?\n",
                "\(run)"
            )
            try await bob.waitForText("<alice> hi bob")
            await bob.close()
        }
    }

    @Test func whenEveryAddressIsDeadEachIsNamedInOrderAndTheExitIsTwo() async throws {
        let ports = [try ClosedPort.take(), try ClosedPort.take(), try ClosedPort.take()]
        let run = try await PlainClientRun.run(
            port: ports[0],
            nickname: "alice",
            arguments: ["--server", "127.0.0.1:\(ports[1])", "--server", "127.0.0.1:\(ports[2])"],
            input: "never sent\n"
        )
        #expect(run.status == 2, "\(run)")
        let expected = ports.map { "cannot connect to 127.0.0.1:\($0): connection refused; is the server running?\n" }
        #expect(run.standardError == expected.joined(), "\(run)")
        #expect(run.standardOutput.isEmpty, "\(run)")
    }

    @Test(arguments: [
        ("chat.example.org", "\"chat.example.org\" has no port"),
        ("::1:7000", "\"::1:7000\" needs its IPv6 address in brackets, like [::1]:7000"),
        ("127.0.0.1:70000", "\"127.0.0.1:70000\" has a port outside 1-65535"),
    ])
    func aMalformedServerIsRefusedBeforeConnecting(_ value: String, _ reason: String) async throws {
        let run = try await PlainClientRun.run(port: 4242, nickname: "alice", arguments: ["--server", value])
        #expect(run.status == 64, "\(run)")
        #expect(
            run.standardError.contains("--server must be HOST:PORT, like chat.example.org:7000 (\(reason))."),
            "\(run)"
        )
    }
}
