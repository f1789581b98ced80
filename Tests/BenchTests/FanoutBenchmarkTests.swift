import ChatBench
import ChatTesting
import Foundation
import Testing

/// Tiny fan-out runs: against the real in-process server (everything must arrive) and against ``FakeRelayServer``
/// (which loses or damages an exact number of deliveries).
@Suite struct FanoutBenchmarkTests {
    /// 5 clients, 2 of them sending 20 messages of 64 bytes each: 2 × 20 × 4 = 160 deliveries expected.
    private func options(port: Int, rate: Double = 0) -> FanoutBenchmark.Options {
        .tiny(BenchTarget(port: port), rate: rate)
    }

    private func expectSaneLatencies(_ report: FanoutBenchmark.Report) {
        #expect(report.latencyP50Milliseconds >= 0)
        #expect(report.latencyP50Milliseconds <= report.latencyP99Milliseconds)
        #expect(report.latencyP99Milliseconds <= report.latencyMaxMilliseconds)
    }

    @Test func aTinyRunAgainstTheRealServerDeliversEverything() async throws {
        try await TestServer.withServer(.benchmark) { server in
            let report = try await FanoutBenchmark(options: self.options(port: server.port)).run()
            #expect(report.clients == 5)
            #expect(report.senders == 2)
            #expect(report.messagesPerSender == 20)
            #expect(report.expectedDeliveries == 2 * 20 * 4)
            #expect(report.delivered == report.expectedDeliveries)
            #expect(report.lost == 0)
            #expect(report.garbled == 0)
            #expect(report.connectSeconds > 0)
            #expect(report.durationSeconds > 0)
            #expect(report.deliveriesPerSecond > 0)
            self.expectSaneLatencies(report)
            #expect(report.serverPeakResidentKiB == nil)
            #expect(report.serverCPUMicrosecondsPerDelivery == nil)
        }
    }

    @Test func aRateLimitedRunAgainstTheRealServerDeliversEverything() async throws {
        try await TestServer.withServer(.benchmark) { server in
            let report = try await FanoutBenchmark(options: self.options(port: server.port, rate: 200)).run()
            #expect(report.rate == 200)
            #expect(report.expectedDeliveries == 160)
            #expect(report.delivered == 160)
            #expect(report.lost == 0)
            #expect(report.garbled == 0)
            self.expectSaneLatencies(report)
        }
    }

    @Test(.enabled(if: ProcFileSystem.isAvailable, "needs Linux /proc"))
    func givenTheServerPIDTheReportIncludesServerMemoryAndCPU() async throws {
        try await TestServer.withServer(.benchmark) { server in
            var options = self.options(port: server.port)
            options.target.serverPID = Int(getpid())
            let report = try await FanoutBenchmark(options: options).run()
            #expect(report.delivered == 160)
            #expect((report.serverPeakResidentKiB ?? 0) > 0)
            #expect((report.serverCPUMicrosecondsPerDelivery ?? -1) >= 0)
        }
    }

    @Test func countsEveryDeliveryOfADroppedMessageAsLost() async throws {
        let faults = FakeRelayServer.Faults(dropEveryNthMessage: 4)
        try await FakeRelayServer.withServer(faults: faults) { server in
            var options = self.options(port: server.port)
            // The run waits this long for deliveries that never come.
            options.drainTimeout = .seconds(2)
            let report = try await FanoutBenchmark(options: options).run()
            let tally = server.tally
            #expect(tally.messagesReceived == 40)
            #expect(tally.messagesDropped == 10)
            #expect(tally.deliveriesDropped == 10 * 4)
            #expect(report.expectedDeliveries == 160)
            #expect(report.lost == tally.deliveriesDropped)
            #expect(report.delivered == tally.deliveriesSent)
            #expect(report.delivered + report.lost == report.expectedDeliveries)
            #expect(report.garbled == 0)
            self.expectSaneLatencies(report)
        }
    }

    @Test func countsEveryTruncatedDeliveryAsGarbledNotLost() async throws {
        let faults = FakeRelayServer.Faults(truncateEveryNthDelivery: 5)
        try await FakeRelayServer.withServer(faults: faults) { server in
            let report = try await FanoutBenchmark(options: self.options(port: server.port)).run()
            let tally = server.tally
            #expect(tally.deliveriesSent == 160)
            #expect(tally.deliveriesTruncated == 160 / 5)
            #expect(report.garbled == tally.deliveriesTruncated)
            #expect(report.delivered == tally.deliveriesSent - tally.deliveriesTruncated)
            #expect(report.lost == 0)
            #expect(report.delivered + report.garbled == report.expectedDeliveries)
        }
    }

    @Test func aDuplicatedDeliveryDoesNotHideALostOne() async throws {
        let faults = FakeRelayServer.Faults(dropEveryNthMessage: 4, duplicateEveryNthDelivery: 8)
        try await FakeRelayServer.withServer(faults: faults) { server in
            var options = self.options(port: server.port)
            options.drainTimeout = .seconds(2)
            let report = try await FanoutBenchmark(options: options).run()
            let tally = server.tally
            #expect(tally.deliveriesDropped == 40)
            #expect(tally.deliveriesSent == 120)
            #expect(tally.deliveriesDuplicated == 15)
            #expect(report.lost == tally.deliveriesDropped)
            #expect(report.delivered == tally.deliveriesSent)
        }
    }

    /// A cluster's nodes as two ports of one relay: clients and senders go to both, every delivery is counted once
    /// whichever door it came through.
    @Test func aRunSpreadOverTwoPortsCountsEveryDeliveryOnceAndSendsThroughBoth() async throws {
        try await FakeRelayServer.withServer(ports: 2) { server in
            var options = self.options(port: server.ports[0])
            options.target.alsoPorts = [server.ports[1]]
            options.clients = 6
            options.senders = 2
            let report = try await FanoutBenchmark(options: options).run()
            let tally = server.tally
            #expect(tally.joinsByPort == [server.ports[0]: 3, server.ports[1]: 3])
            #expect(tally.messagesByPort == [server.ports[0]: 20, server.ports[1]: 20])
            #expect(report.clientsPerPort == [3, 3])
            #expect(report.expectedDeliveries == 2 * 20 * 5)
            #expect(report.delivered == report.expectedDeliveries)
            #expect(report.lost == 0)
            #expect(report.duplicated == 0)
            #expect(report.echoed == 0)
            self.expectSaneLatencies(report)
        }
    }

    @Test(.enabled(if: ProcFileSystem.isAvailable, "needs Linux /proc"))
    func givenSeveralServerPIDsTheReportAddsThemUp() async throws {
        try await TestServer.withServer(.benchmark) { server in
            var options = self.options(port: server.port)
            options.target.serverPID = Int(getpid())
            options.target.alsoServerPIDs = [Int(getpid())]
            let report = try await FanoutBenchmark(options: options).run()
            #expect(report.serverProcesses == 2)
            #expect(report.clientsPerPort == [5])
            #expect((report.serverCPUMicrosecondsPerDelivery ?? -1) >= 0)
            let peak = try #require(report.serverPeakResidentKiB)
            let own = try #require(ProcessStats.read(pid: "self"))
            // The same process twice: about twice its own peak. Not exactly: the kernel counts resident pages per
            // thread and adds them up lazily, so two reads a moment apart may differ by a few hundred KiB either way.
            #expect(peak >= own.peakResidentKiB)
            #expect(peak <= 2 * own.peakResidentKiB + 4096)
        }
    }

    @Test(arguments: [(1, 1, 1), (5, 0, 1), (5, 6, 1), (5, 2, 0)])
    func rejectsARunThatCannotMeasureAnything(clients: Int, senders: Int, messages: Int) async {
        var options = FanoutBenchmark.Options(target: BenchTarget(port: 1))
        options.clients = clients
        options.senders = senders
        options.messagesPerSender = messages
        options.target.threads = 1
        await #expect(throws: BenchError.self) {
            _ = try await FanoutBenchmark(options: options).run()
        }
    }
}
