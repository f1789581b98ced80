import ChatTesting
import Foundation
import NIOCore
import Testing

@testable import ChatBench

/// The bench speaking IRC (`--dialect irc`) against ``FakeIRCServer``: registration, joining, PING, and the same
/// counting as the plain dialect.
@Suite struct IRCDialectTests {
    @Test func aFanoutRunOverIRCCountsEveryDeliveryAndAnswersPings() async throws {
        try await FakeIRCServer.withServer { server in
            let options = FanoutBenchmark.Options.tiny(BenchTarget(port: server.port, dialect: .irc))
            let report = try await FanoutBenchmark(options: options).run()
            #expect(report.expectedDeliveries == 2 * 20 * 4)
            #expect(report.delivered == report.expectedDeliveries)
            #expect(report.lost == 0)
            #expect(report.garbled == 0)
            #expect(report.duplicated == 0)
            let tally = server.tally
            #expect(tally.registered == 5)
            #expect(tally.joined == 5)
            #expect(tally.messagesReceived == 40)
            #expect(tally.deliveriesSent == 160)
            #expect(tally.unknown == [])
            #expect(await Deadline.poll(within: TestTime.expected) { server.tally.pongs == 5 })
        }
    }

    @Test func aRateLimitedRunOverIRCMeasuresLatency() async throws {
        try await FakeIRCServer.withServer { server in
            var options = FanoutBenchmark.Options(target: BenchTarget(port: server.port, dialect: .irc))
            options.clients = 4
            options.senders = 2
            options.messagesPerSender = 10
            options.rate = 100
            options.target.threads = 2
            options.drainTimeout = TestTime.expected
            options.joinTimeout = TestTime.process
            let report = try await FanoutBenchmark(options: options).run()
            #expect(report.delivered == 2 * 10 * 3)
            #expect(report.lost == 0)
            #expect(report.latencyP50Milliseconds <= report.latencyP99Milliseconds)
        }
    }

    @Test func idleIRCClientsRegisterAndJoin() async throws {
        try await FakeIRCServer.withServer { server in
            var options = IdleBenchmark.Options(target: BenchTarget(port: server.port, dialect: .irc))
            options.clients = 12
            options.target.threads = 2
            options.joinTimeout = TestTime.process
            let report = try await IdleBenchmark(options: options).run()
            #expect(report.clients == 12)
            #expect(server.tally.joined == 12)
        }
    }

    @Test func idleClientsCanJoinOneAtATime() async throws {
        try await FakeIRCServer.withServer { server in
            var options = IdleBenchmark.Options(target: BenchTarget(port: server.port, dialect: .irc))
            options.clients = 8
            options.joinsOneAtATime = true
            options.target.threads = 2
            options.joinTimeout = TestTime.process
            let report = try await IdleBenchmark(options: options).run()
            #expect(report.clients == 8)
            #expect(server.tally.joined == 8)
        }
    }

    @Test(arguments: [48, 64, 512])
    func anIRCMessageIsAPrivmsgWhoseTextIsExactlyTheSizeAsked(size: Int) {
        let prefix = Array("PRIVMSG #bench :".utf8)
        let message = MessageToken.make(
            sender: 4,
            sequence: 2,
            sentAt: 77,
            size: size,
            prefix: BenchDialect.irc.messagePrefix,
            lineEnd: BenchDialect.irc.lineEnd
        )
        let bytes = Array(message.readableBytesView)
        #expect(bytes.starts(with: prefix))
        #expect(bytes.suffix(2) == [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        #expect(bytes.count == prefix.count + size + 2)
        let text = ByteBuffer(bytes: bytes.dropLast(2))
        #expect(
            MessageToken.parse(text.readableBytesView, expectedSize: size) == .token(sender: 4, sequence: 2, sentAt: 77)
        )
    }
}
