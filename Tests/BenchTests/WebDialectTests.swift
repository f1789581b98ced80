import ChatProtocol
import ChatTesting
import Foundation
import NIOCore
import Testing

@testable import ChatBench

/// The bench speaking to the web door (`--dialect web`): the real `server` binary with `--web-port`, reached over a
/// WebSocket as the page reaches it, counted as the other dialects are.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason), .timeLimit(.minutes(2)))
struct WebDialectTests {
    /// Runs `body` with a server whose web door is on; returns its plain port and its web port.
    private static func withWebServer(_ body: (_ plainPort: Int, _ webPort: Int) async throws -> Void) async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let server = try await ServerProcess.start(
                dataDirectory: directory.path,
                arguments: ["--web-port", "0", "--flood-rate", "0"]
            )
            defer { server.kill() }
            let webPort = try #require(server.webPort)
            try await body(server.port, webPort)
        }
    }

    @Test func aFanoutRunThroughTheWebDoorCountsEveryDelivery() async throws {
        try await Self.withWebServer { _, webPort in
            let options = FanoutBenchmark.Options.tiny(BenchTarget(port: webPort, dialect: .web))
            let report = try await FanoutBenchmark(options: options).run()
            #expect(report.expectedDeliveries == 2 * 20 * 4)
            #expect(report.delivered == report.expectedDeliveries)
            #expect(report.lost == 0)
            #expect(report.garbled == 0)
            #expect(report.duplicated == 0)
            // The web door shows senders their own lines (the page needs them); they are not deliveries.
            #expect(report.echoed == 2 * 20)
        }
    }

    @Test func idleWebClientsJoinOneAtATime() async throws {
        try await Self.withWebServer { _, webPort in
            var options = IdleBenchmark.Options(target: BenchTarget(port: webPort, dialect: .web))
            options.clients = 6
            options.joinsOneAtATime = true
            options.target.threads = 2
            options.joinTimeout = TestTime.process
            let report = try await IdleBenchmark(options: options).run()
            #expect(report.clients == 6)
        }
    }

    @Test func aPortWithNoWebSocketIsAClearErrorNotAWait() async throws {
        try await Self.withWebServer { plainPort, _ in
            var options = IdleBenchmark.Options(target: BenchTarget(port: plainPort, dialect: .web))
            options.clients = 1
            options.target.threads = 1
            options.joinTimeout = TestTime.process
            let started = ContinuousClock.now
            do {
                _ = try await IdleBenchmark(options: options).run()
                Issue.record("joined a chat port over WebSocket")
            } catch {
                #expect("\(error)".contains("no WebSocket at 127.0.0.1:\(plainPort)/ws"), "\(error)")
            }
            #expect(ContinuousClock.now - started < TestTime.process)
        }
    }

    @Test func aTokenInsideAJSONEventEndsAtItsClosingQuote() {
        let token = MessageToken.make(sender: 3, sequence: 9, sentAt: 42, size: 64, lineEnd: BenchDialect.web.lineEnd)
        let text = String(buffer: token)
        let event = ByteBuffer(string: ##"{"type":"message","from":"n1z","text":"\##(text)","room":"#main"}"##)
        let parsed = MessageToken.parse(event.readableBytesView, expectedSize: 64, endingAt: BenchDialect.web.tokenEnd)
        #expect(parsed == .token(sender: 3, sequence: 9, sentAt: 42))
        // Cut short inside the quotes, it is damaged, not a different token.
        let cut = ByteBuffer(string: #"{"text":"\#(text.dropLast(3))"}"#)
        #expect(MessageToken.parse(cut.readableBytesView, expectedSize: 64, endingAt: UInt8(ascii: "\"")) == .garbled)
        // Without the terminator, what follows the token would make every web delivery garbled.
        #expect(MessageToken.parse(event.readableBytesView, expectedSize: 64) == .garbled)
    }
}
