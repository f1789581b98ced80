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
            ("clients / senders / messages each", "\(report.clients) / \(report.senders) / \(report.messagesPerSender)"),
            ("message size", "\(report.messageSize) bytes"),
            ("send rate", report.rate > 0 ? "\(Int(report.rate)) msg/s" : "as fast as back-pressure allows"),
            ("connect + join all", String(format: "%.3f s", report.connectSeconds)),
            ("deliveries", "\(report.delivered) of \(report.expectedDeliveries)"),
            ("lost / garbled", "\(report.lost) / \(report.garbled)"),
            ("duplicated / echoed", "\(report.duplicated) / \(report.echoed)"),
            ("duration", String(format: "%.3f s", report.durationSeconds)),
            ("deliveries/s", String(format: "%.0f", report.deliveriesPerSecond)),
            ("latency p50 / p99 / max", String(format: "%.2f / %.2f / %.2f ms", report.latencyP50Milliseconds, report.latencyP99Milliseconds, report.latencyMaxMilliseconds)),
            ("bench CPU", String(format: "%.2f s", report.benchCPUSeconds)),
        ]
        if let peak = report.serverPeakResidentKiB {
            rows.append(("server peak RSS", "\(peak) KiB"))
        }
        if let cpu = report.serverCPUMicrosecondsPerDelivery {
            rows.append(("server CPU per delivery", String(format: "%.3f µs", cpu)))
        }
        return Self.render(rows)
    }

    public static func table(_ report: IdleBenchmark.Report) -> String {
        var rows: [(String, String)] = [
            ("idle connections", "\(report.clients)"),
            ("connect + join all", String(format: "%.3f s", report.connectSeconds)),
        ]
        if let before = report.serverResidentBeforeKiB, let after = report.serverResidentAfterKiB {
            rows.append(("server RSS before / after", "\(before) / \(after) KiB"))
        }
        if let each = report.serverKiBPerConnection {
            rows.append(("server RSS per connection", String(format: "%.2f KiB", each)))
        }
        return Self.render(rows)
    }

    private static func render(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }
}
