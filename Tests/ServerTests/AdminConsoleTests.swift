import ChatCore
import ChatTesting
import ChatTransportTCP
import Logging
import ServiceLifecycle
import Testing

/// The server wired as the `server` executable wires it: a `ServiceGroup` of the ``ChatServer`` and an
/// ``AdminConsole`` whose `shutdown` stops the whole group.
@Suite struct AdminConsoleTests {
    @Test func announcesToEveryRoomAndShutsTheGroupDown() async throws {
        let ports = TimedQueue<Int>()
        let server = ChatServer(
            configuration: .loopback(),
            listeners: [TCPListener(.loopback())],
            logger: TestServer.logger
        ) { addresses in
            ports.push(addresses[0].port)
        }
        let (input, console) = AsyncStream<String>.makeStream()
        let output = TimedQueue<String>()
        let adminConsole = AdminConsole(hub: server.hub, input: input, logger: TestServer.logger) { text in
            output.push(text)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: server),
                    .init(service: adminConsole, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: TestServer.logger
            )
        )
        let finished = TimedQueue<TestServer.RunOutcome>()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                    finished.push(.returned)
                } catch {
                    finished.push(.threw("\(error)"))
                }
            }
            var clients: [LineClient] = []
            do {
                guard case .element(let port) = await ports.next(timeout: TestTime.serverStartOrStop) else {
                    throw ExpectationFailure("the server did not start listening within \(TestTime.serverStartOrStop)")
                }
                let alice = try await LineClient.connect(port: port, name: "alice")
                clients.append(alice)
                try await alice.join(as: "alice")
                let bob = try await LineClient.connect(port: port, name: "bob")
                clients.append(bob)
                try await bob.join(as: "bob")
                try await alice.expectLine(containing: "bob joined", maxSkipped: 0)
                try await bob.send("/join elsewhere")
                try await bob.expectLine(containing: "bob joined #elsewhere", maxSkipped: 0)
                try await alice.expectLine(containing: "bob left #main", maxSkipped: 0)

                console.yield("maintenance at \u{1B}[1mnoon")
                #expect(try await alice.nextLine() == "* server: maintenance at noon")
                #expect(try await bob.nextLine() == "* server: maintenance at noon")

                console.yield("who")
                guard case .element(let users) = await output.next(timeout: TestTime.expected) else {
                    throw ExpectationFailure("the console did not answer `who`")
                }
                #expect(users.contains("alice in #main from 127.0.0.1:"))
                #expect(users.contains("bob in #elsewhere from 127.0.0.1:"))

                console.yield("shutdown")
                for client in clients {
                    let lines = try await client.expectClosed()
                    #expect(lines == ["* The server is shutting down. Goodbye!"])
                }
                guard case .element(let outcome) = await finished.next(timeout: TestServer.shutdownTimeout) else {
                    throw ExpectationFailure("the service group did not stop after `shutdown`")
                }
                #expect(outcome == .returned)
            } catch {
                await group.triggerGracefulShutdown()
                for client in clients {
                    await client.close()
                }
                throw error
            }
            for client in clients {
                await client.close()
                #expect(client.violations.isEmpty)
            }
        }
    }
}
