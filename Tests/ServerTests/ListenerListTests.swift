import ChatCore
import ChatTesting
import ChatTransportTCP
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// A server with more than one listener: each says where it listens, all share one hub, and one graceful shutdown
/// closes them all.
@Suite struct ListenerListTests {
    @Test func theFirstListenerKeepsItsLineAndTheOthersNameTheirKind() {
        let first = ListeningAddress(host: "0.0.0.0", port: 4242, kind: "tcp")
        let second = ListeningAddress(host: "0.0.0.0", port: 4243, kind: "tls")
        #expect(first.announcement(isFirst: true) == "slashchat listening on 0.0.0.0:4242")
        #expect(second.announcement(isFirst: false) == "slashchat listening on 0.0.0.0:4243 (tls)")
    }

    @Test func clientsOfTwoListenersChatInOneRoomAndShutdownClosesBoth() async throws {
        let addresses = TimedQueue<[ListeningAddress]>()
        let configuration = ServerConfiguration.loopback()
        let server = ChatServer(
            configuration: configuration,
            listeners: [TCPListener(configuration), TCPListener(host: "127.0.0.1", port: 0)],
            logger: TestServer.logger
        ) { bound in
            addresses.push(bound)
        }
        let finished = TimedQueue<TestServer.RunOutcome>()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    do {
                        try await server.run()
                        finished.push(.returned)
                    } catch {
                        finished.push(.threw("\(error)"))
                    }
                }
                guard case .element(let bound) = await addresses.next(timeout: TestTime.serverStartOrStop) else {
                    throw ExpectationFailure("the server did not start listening within \(TestTime.serverStartOrStop)")
                }
                #expect(bound.count == 2)
                #expect(bound[0].port != bound[1].port)
                #expect(bound.allSatisfy { $0.port != 0 && $0.kind == "tcp" })

                let alice = try await LineClient.connect(port: bound[0].port, name: "alice")
                try await alice.join(as: "alice")
                let bob = try await LineClient.connect(port: bound[1].port, name: "bob")
                try await bob.join(as: "bob")
                try await alice.expectLine(containing: "bob joined #main", maxSkipped: 0)
                try await bob.send("hello from the second listener")
                #expect(try await alice.nextLine() == "<bob> hello from the second listener")
                #expect(server.connectionCount == 2)

                trigger.triggerGracefulShutdown()
                for client in [alice, bob] {
                    #expect(try await client.expectClosed() == ["* The server is shutting down. Goodbye!"])
                }
                guard case .element(let outcome) = await finished.next(timeout: TestServer.shutdownTimeout) else {
                    throw ExpectationFailure("the server did not stop after graceful shutdown")
                }
                #expect(outcome == .returned)
            }
        }
    }

    @Test func aPortInUseStopsTheStartBeforeAnyListenerAccepts() async throws {
        try await TestServer.withServer { running in
            let configuration = ServerConfiguration.loopback()
            let server = ChatServer(
                configuration: configuration,
                listeners: [TCPListener(configuration), TCPListener(host: "127.0.0.1", port: running.port)],
                logger: TestServer.logger
            ) { _ in
                Issue.record("a server whose second port is taken must not say it listens")
            }
            await #expect(throws: (any Error).self) {
                try await server.run()
            }
        }
    }
}
