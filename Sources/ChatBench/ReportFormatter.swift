import Foundation

/// Renders benchmark reports for people (a table) and for scripts (JSON).
public enum ReportFormatter {
    public static func json(_ report: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    public static func table(_ report: FanoutBenchmark.Report) -> String {
        var rows: [(String, String)] = [
            (
                "clients / senders / messages each",
                "\(report.clients) / \(report.senders) / \(report.messagesPerSender)"
            ),
            ("message size", "\(report.messageSize) bytes"),
            ("send rate", report.rate > 0 ? "\(Int(report.rate)) msg/s" : "as fast as back-pressure allows"),
            ("connect + join all", String(format: "%.3f s", report.connectSeconds)),
            ("deliveries", "\(report.delivered) of \(report.expectedDeliveries)"),
            ("lost / garbled", "\(report.lost) / \(report.garbled)"),
            ("duplicated / echoed", "\(report.duplicated) / \(report.echoed)"),
            ("duration", String(format: "%.3f s", report.durationSeconds)),
            ("deliveries/s", String(format: "%.0f", report.deliveriesPerSecond)),
            (
                "latency p50 / p99 / max",
                String(
                    format: "%.2f / %.2f / %.2f ms",
                    report.latencyP50Milliseconds,
                    report.latencyP99Milliseconds,
                    report.latencyMaxMilliseconds
                )
            ),
            ("bench CPU", String(format: "%.2f s", report.benchCPUSeconds)),
        ]
        if report.clientsPerPort.count > 1 {
            rows.append(("clients per port", report.clientsPerPort.map(String.init).joined(separator: " / ")))
        }
        let processes = Self.processes(report.serverProcesses)
        if let peak = report.serverPeakResidentKiB {
            rows.append(("server peak RSS", "\(peak) KiB" + processes))
        }
        if let cpu = report.serverCPUMicrosecondsPerDelivery {
            rows.append(("server CPU per delivery", String(format: "%.3f µs", cpu) + processes))
        }
        return Self.render(rows)
    }

    public static func table(_ report: IdleBenchmark.Report) -> String {
        var rows: [(String, String)] = [
            ("idle connections", "\(report.clients)"),
            ("connect + join all", String(format: "%.3f s", report.connectSeconds)),
        ]
        if report.clientsPerPort.count > 1 {
            rows.append(("clients per port", report.clientsPerPort.map(String.init).joined(separator: " / ")))
        }
        let processes = Self.processes(report.serverProcesses)
        if let before = report.serverResidentBeforeKiB, let after = report.serverResidentAfterKiB {
            rows.append(("server RSS before / after", "\(before) / \(after) KiB" + processes))
        }
        if let each = report.serverKiBPerConnection {
            rows.append(("server RSS per connection", String(format: "%.2f KiB", each) + processes))
        }
        return Self.render(rows)
    }

    public static func table(_ report: SoakScenario.Report) -> String {
        func kib(_ value: Int?) -> String { value.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "n/a" }
        let connections =
            "\(report.connections) (\(report.churnClients) churn, "
            + "\(report.stableReaders) stable readers, \(report.rooms) rooms)"
        let floods =
            "\(report.floodBursts) bursts, \(report.floodLines) lines, "
            + "\(report.slowDownNotices) slow-down notices"
        let leaving =
            "\(report.quits) /quit, \(report.cleanCloses) clean closes, "
            + "\(report.resets) resets (\(report.midLineCuts) mid-line)"
        let memory =
            "\(kib(report.residentBaselineKiB)) / \(kib(report.residentPeakKiB)) / "
            + kib(report.residentAfterKiB)
        var rows: [(String, String)] = [
            ("verdict", report.passed ? "PASS" : "FAIL"),
            ("duration", String(format: "%.1f s (load, drain and checks)", report.durationSeconds)),
            ("connections", connections),
            ("messages sent", "\(report.messagesSent) (\(report.privateMessages) private)"),
            ("deliveries owed / arrived", "\(report.owedDeliveries) / \(report.delivered)"),
            ("lost", "\(report.lost)"),
            ("out of order / duplicated", "\(report.outOfOrder) / \(report.duplicated)"),
            ("misrouted / unknown / garbled", "\(report.misrouted) / \(report.unknown) / \(report.garbled)"),
            (
                "in flight at a reset",
                "\(report.uncertainMessages) messages, \(report.uncertainArrived) deliveries arrived anyway"
            ),
            ("faults: hostile lines", "\(report.hostileLines) (escape sequences, control characters, invalid UTF-8)"),
            ("faults: over-long lines", "\(report.overlongLines) (\(report.overlongRefusals) answered `! `)"),
            ("faults: floods", floods),
            ("faults: slow readers", "\(report.slowReaders) (\(report.slowReadersDropped) dropped by the server)"),
            ("faults: leaving", leaving),
            (
                "commands / blocks seen",
                "\(report.commandsRun) run, \(report.blockHeadersSeen) block headers at readers"
            ),
            ("room changes", "\(report.roomChanges)"),
            ("lines read by stable readers", "\(report.readerLines) (\(report.readerBytes) bytes)"),
            ("control chars / bad UTF-8 lines", "\(report.controlLines) / \(report.invalidUTF8Lines)"),
            ("over-long lines delivered", "\(report.overlongLeaks)"),
            ("stable clients dropped", "\(report.stableClientsDropped)"),
            ("time-outs / failed connections", "\(report.timeouts) / \(report.connectFailures)"),
            ("server RSS before / peak / after", memory),
            (
                "RSS allowed after",
                "\(kib(report.residentAllowedAfterKiB)) (baseline + max(\(report.memoryRule.floorKiB / 1024) MiB, "
                    + "\(Int(report.memoryRule.fractionOfGrowth * 100)) % of peak growth))"
            ),
            ("server answers afterwards", report.serverAnswered ? "yes" : "NO"),
        ]
        if let line = report.firstBadLine { rows.append(("first bad line", line)) }
        if let failure = report.firstFailure { rows.append(("first failed step", failure)) }
        for example in report.examples { rows.append(("example", example)) }
        for failure in report.failures { rows.append(("FAILED", failure)) }
        return Self.render(rows)
    }

    /// Says that a server figure adds up several processes (the nodes of a cluster); empty for one.
    private static func processes(_ count: Int) -> String {
        count > 1 ? " (\(count) processes added up)" : ""
    }

    private static func render(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }
}
