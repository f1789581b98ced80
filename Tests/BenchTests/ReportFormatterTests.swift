import Foundation
import Testing

@testable import ChatBench

@Suite struct ReportFormatterTests {
    private static let fanout = FanoutBenchmark.Report(
        clients: 100,
        senders: 10,
        messagesPerSender: 1000,
        messageSize: 64,
        rate: 0,
        connectSeconds: 0.123_456,
        expectedDeliveries: 990_000,
        delivered: 989_990,
        lost: 7,
        garbled: 3,
        duplicated: 2,
        echoed: 1,
        durationSeconds: 1.5,
        deliveriesPerSecond: 659_993.333,
        latencyP50Milliseconds: 1.234,
        latencyP99Milliseconds: 5.678,
        latencyMaxMilliseconds: 9.876,
        benchCPUSeconds: 2.5,
        serverPeakResidentKiB: 51_200,
        serverCPUMicrosecondsPerDelivery: 0.125
    )

    private static let idle = IdleBenchmark.Report(
        clients: 1000,
        connectSeconds: 0.75,
        serverResidentBeforeKiB: 10_000,
        serverResidentAfterKiB: 30_000,
        serverKiBPerConnection: 20
    )

    /// The value a row shows, or nil when there is no row with that label.
    private func row(_ label: String, in table: String) -> String? {
        for line in table.split(separator: "\n") where line.hasPrefix(label + " ") {
            return line.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    @Test func theFanoutTableShowsTheKeyRows() {
        let table = ReportFormatter.table(Self.fanout)
        #expect(self.row("clients / senders / messages each", in: table) == "100 / 10 / 1000")
        #expect(self.row("deliveries", in: table) == "989990 of 990000")
        #expect(self.row("deliveries/s", in: table) == "659993")
        #expect(self.row("lost / garbled", in: table) == "7 / 3")
        #expect(self.row("latency p50 / p99 / max", in: table) == "1.23 / 5.68 / 9.88 ms")
        #expect(self.row("send rate", in: table) == "as fast as back-pressure allows")
        #expect(self.row("server peak RSS", in: table) == "51200 KiB")
        #expect(self.row("server CPU per delivery", in: table) == "0.125 µs")
    }

    @Test func theFanoutTableLeavesOutServerRowsWithoutAPIDAndShowsTheRate() {
        var report = Self.fanout
        report.rate = 5000
        report.serverPeakResidentKiB = nil
        report.serverCPUMicrosecondsPerDelivery = nil
        let table = ReportFormatter.table(report)
        #expect(self.row("send rate", in: table) == "5000 msg/s")
        #expect(!table.contains("server"))
    }

    @Test func theTableAlignsItsValuesInOneColumn() {
        let lines = ReportFormatter.table(Self.fanout).split(separator: "\n")
        let columns = Set(
            lines.map { line in
                // Labels are padded to one width and followed by two spaces.
                line.range(of: "  ", options: .backwards).map {
                    line.distance(from: line.startIndex, to: $0.upperBound)
                }
            }
        )
        #expect(lines.count >= 10)
        #expect(columns.count == 1)
    }

    @Test func aClusterRunShowsTheClientsPerPortAndSaysTheServerFiguresAreAddedUp() {
        var report = Self.fanout
        report.clientsPerPort = [50, 50]
        report.serverProcesses = 2
        let table = ReportFormatter.table(report)
        #expect(self.row("clients per port", in: table) == "50 / 50")
        #expect(self.row("server peak RSS", in: table) == "51200 KiB (2 processes added up)")
        #expect(self.row("server CPU per delivery", in: table) == "0.125 µs (2 processes added up)")
        var idle = Self.idle
        idle.clientsPerPort = [500, 500]
        idle.serverProcesses = 2
        let idleTable = ReportFormatter.table(idle)
        #expect(self.row("clients per port", in: idleTable) == "500 / 500")
        #expect(self.row("server RSS per connection", in: idleTable) == "20.00 KiB (2 processes added up)")
    }

    @Test func oneServerHasNoClientsPerPortRow() {
        var report = Self.fanout
        report.clientsPerPort = [100]
        report.serverProcesses = 1
        #expect(!ReportFormatter.table(report).contains("clients per port"))
        #expect(self.row("server CPU per delivery", in: ReportFormatter.table(report)) == "0.125 µs")
    }

    @Test func theIdleTableShowsMemoryPerConnection() {
        let table = ReportFormatter.table(Self.idle)
        #expect(self.row("idle connections", in: table) == "1000")
        #expect(self.row("server RSS before / after", in: table) == "10000 / 30000 KiB")
        #expect(self.row("server RSS per connection", in: table) == "20.00 KiB")
    }

    @Test func theFanoutJSONDecodesBackToAnEqualReport() throws {
        for report in [Self.fanout, Self.withoutServer(Self.fanout)] {
            let json = try ReportFormatter.json(report)
            let decoded = try JSONDecoder().decode(FanoutBenchmark.Report.self, from: Data(json.utf8))
            #expect(decoded == report)
        }
        #expect(try ReportFormatter.json(Self.fanout).contains("\"lost\" : 7"))
    }

    @Test func theIdleJSONDecodesBackToAnEqualReport() throws {
        var bare = Self.idle
        bare.serverResidentBeforeKiB = nil
        bare.serverResidentAfterKiB = nil
        bare.serverKiBPerConnection = nil
        for report in [Self.idle, bare] {
            let json = try ReportFormatter.json(report)
            let decoded = try JSONDecoder().decode(IdleBenchmark.Report.self, from: Data(json.utf8))
            #expect(decoded == report)
        }
    }

    private static func withoutServer(_ report: FanoutBenchmark.Report) -> FanoutBenchmark.Report {
        var report = report
        report.serverPeakResidentKiB = nil
        report.serverCPUMicrosecondsPerDelivery = nil
        return report
    }
}
