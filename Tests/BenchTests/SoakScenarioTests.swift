import ChatBench
import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

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
            plugins: .folder(ServerProcess.packageRoot.appendingPathComponent("commands").path),
            arguments: Self.serverArguments
        )
        defer { server.kill() }
        #if canImport(Glibc)
        // Other suites run alongside with tight timings of their own: the soak's server yields the CPU to them.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(server.process.processIdentifier), 10)
        #endif

        var options = SoakScenario.Options(
            target: BenchTarget(port: server.port, serverPID: Int(server.process.processIdentifier), threads: 2)
        )
        // Light enough to leave the other suites CPU (plugins cost a Python start each), heavy enough for every fault.
        options.duration = .seconds(6)
        options.clients = 120
        options.concurrency = 16
        options.warmUpClients = 10
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
        #expect(report.owedDeliveries > 500)
        #expect(report.delivered == report.owedDeliveries)
        #expect(report.connections >= 120 + 6)
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
