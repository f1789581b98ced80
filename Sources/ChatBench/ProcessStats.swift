import Foundation

/// What `/proc` says about a process: memory and CPU time. Linux only; nil elsewhere or when unreadable.
public struct ProcessStats: Sendable, Codable, Equatable {
    /// Resident memory now, in KiB.
    public var residentKiB: Int
    /// Peak resident memory, in KiB.
    public var peakResidentKiB: Int
    /// User plus system CPU time, in seconds.
    public var cpuSeconds: Double

    public init(residentKiB: Int, peakResidentKiB: Int, cpuSeconds: Double) {
        self.residentKiB = residentKiB
        self.peakResidentKiB = peakResidentKiB
        self.cpuSeconds = cpuSeconds
    }

    /// Several processes as one (the nodes of a cluster): memory and CPU time added up.
    public static func total(_ processes: [ProcessStats]) -> ProcessStats {
        processes.reduce(ProcessStats(residentKiB: 0, peakResidentKiB: 0, cpuSeconds: 0)) { sum, next in
            ProcessStats(
                residentKiB: sum.residentKiB + next.residentKiB,
                peakResidentKiB: sum.peakResidentKiB + next.peakResidentKiB,
                cpuSeconds: sum.cpuSeconds + next.cpuSeconds
            )
        }
    }

    /// Reads the stats of process `pid` ("self" for this process).
    public static func read(pid: String) -> ProcessStats? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        func kilobytes(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
            // `VmRSS:\t 123 kB`, but past 8 digits there is no space after the tab.
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0") ?? 0
        }
        // Fields after the command name (which may contain spaces) start after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after ") state".
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessStats(
            residentKiB: kilobytes("VmRSS"),
            peakResidentKiB: kilobytes("VmHWM"),
            cpuSeconds: (user + system) / ticks
        )
    }
}
