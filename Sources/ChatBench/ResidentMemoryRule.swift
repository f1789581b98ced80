/// When a soak's server memory counts as "back near its baseline" once everyone has left.
///
/// The rule: RSS after ≤ baseline + max(``floorKiB``, ``fractionOfGrowth`` × (peak − baseline)).
///
/// Why this shape: glibc's malloc keeps freed memory in its per-thread arenas and returns little of it to the
/// kernel, so RSS never falls all the way back even without a leak, and an exact rule would flake. Measured on
/// this project's server: a 6-second CI soak grew 2 MiB and kept all of it; a 120-second soak grew 6.3 MiB and
/// kept 4.5 MiB (71 %). A leak, on the other hand, keeps everything it took, and grows with the work done. So
/// the rule allows a fixed floor for allocator slack (16 MiB: more than any clean run kept, and less than a
/// per-client leak of 5.5 KiB over a 3,000-client soak) and 80 % of the run's growth (above the 71 % the
/// allocator kept, below the 100 % a leak keeps: with transient growth T and a leak L, it fails once L > T / 2).
/// The baseline is read after a warm-up wave of clients, so first-use allocations (NIO's buffer pools, SQLite's
/// page cache, plugin metadata) are not mistaken for growth.
public struct ResidentMemoryRule: Sendable, Codable, Equatable {
    /// The allowance no run can go below, in KiB.
    public var floorKiB: Int
    /// The share of the run's growth (peak − baseline) that may stay.
    public var fractionOfGrowth: Double

    /// The rule the soak applies unless told otherwise: 16 MiB or 80 % of the growth.
    public static let standard = ResidentMemoryRule(floorKiB: 16 * 1024, fractionOfGrowth: 0.8)

    public init(floorKiB: Int, fractionOfGrowth: Double) {
        self.floorKiB = floorKiB
        self.fractionOfGrowth = fractionOfGrowth
    }

    /// The most RSS (KiB) the server may keep after the run.
    public func allowedAfter(baselineKiB: Int, peakKiB: Int) -> Int {
        let growth = max(0, peakKiB - baselineKiB)
        return baselineKiB + max(self.floorKiB, Int((Double(growth) * self.fractionOfGrowth).rounded(.up)))
    }

    /// Whether `afterKiB` is within the rule.
    public func holds(baselineKiB: Int, peakKiB: Int, afterKiB: Int) -> Bool {
        afterKiB <= self.allowedAfter(baselineKiB: baselineKiB, peakKiB: peakKiB)
    }
}
