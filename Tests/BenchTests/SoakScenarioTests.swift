import ChatBench
import ChatTesting
import Foundation
import Testing

/// A few seconds of the soak against the real `server` binary, started as its own process so its memory is its own.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
struct SoakScenarioTests {
    /// Flood control as shipped (20 lines/s, bursts of 40), the repository's plugins, a short history.
    private static let serverArguments = ["--flood-rate", "20", "--flood-burst", "40", "--history", "5"]

    @Test(.enabled(if: ProcFileSystem.isAvailable, "needs Linux /proc"))
    func aShortSoakLosesNothingDeliversNoControlCharacterAndGivesMemoryBack() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("slashchat-soak-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(
            dataDirectory: directory.path,
            commandsDirectory: ServerProcess.packageRoot.appendingPathComponent("commands").path,
            arguments: Self.serverArguments
        )
        defer { server.kill() }

        var options = SoakScenario.Options(
            target: BenchTarget(port: server.port, serverPID: Int(server.process.processIdentifier), threads: 2)
        )
        options.duration = .seconds(6)
        options.clients = 200
        options.concurrency = 32
        options.warmUpClients = 20
        let report = try await SoakScenario(options: options).run()
        let table = ReportFormatter.table(report)
        print(table)

        // The contract.
        #expect(report.failures == [], "\(table)")
        #expect(report.lost == 0)
        #expect(report.outOfOrder == 0 && report.duplicated == 0 && report.misrouted == 0 && report.unknown == 0)
        #expect(report.garbled == 0)
        #expect(report.controlLines == 0 && report.invalidUTF8Lines == 0)
        #expect(report.overlongLeaks == 0)
        #expect(report.serverAnswered)
        let baseline = try #require(report.residentBaselineKiB)
        let peak = try #require(report.residentPeakKiB)
        let after = try #require(report.residentAfterKiB)
        #expect(report.memoryRule.holds(baselineKiB: baseline, peakKiB: peak, afterKiB: after), "\(table)")

        // It measured something, and every kind of fault was really injected.
        #expect(report.owedDeliveries > 1000)
        #expect(report.delivered == report.owedDeliveries)
        #expect(report.connections >= 200 + 6)
        #expect(report.privateMessages > 0)
        #expect(report.hostileLines > 0)
        #expect(report.overlongLines > 0 && report.overlongRefusals == report.overlongLines)
        #expect(report.floodBursts >= 1)
        #expect(report.slowDownNotices > 0)
        #expect(report.commandsRun > 0 && report.blockHeadersSeen > 0)
        #expect(report.roomChanges > 0)
        #expect(report.quits > 0 && report.cleanCloses > 0)
        #expect(report.resets > 0 && report.midLineCuts > 0)
        #expect(report.slowReaders == 3)
    }
}
