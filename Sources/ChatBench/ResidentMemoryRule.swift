/// When a soak's server memory counts as "back near its baseline" once everyone has left.
///
/// The rule: RSS after ≤ baseline + max(``floorKiB``, ``fractionOfGrowth`` × (peak − baseline)).
///
/// Why this shape: glibc's malloc keeps freed memory in its per-thread arenas and returns little of it to the
/// kernel, and the first minutes of a server warm up caches (NIO's buffer pools, SQLite's page cache, the emoji
/// table, plugin metadata), so RSS never falls all the way back even without a leak; an exact rule would flake.
/// A leak, on the other hand, keeps what it took: after a run it sits at (or above) the peak, since the peak held
/// the leaked memory plus the transient load. So the rule allows a fixed floor for allocator slack (a few MiB,
/// which a short CI run cannot tell from a leak anyway) and half of the run's growth, and fails a server that
/// keeps more than half of what the load made it grow. The baseline is read after a warm-up wave of clients, so
/// first-use allocations are not mistaken for growth.
public struct ResidentMemoryRule: Sendable, Codable, Equatable {
    /// The allowance no run can go below, in KiB.
    public var floorKiB: Int
    /// The share of the run's growth (peak − baseline) that may stay.
    public var fractionOfGrowth: Double

    /// The rule the soak applies unless told otherwise: 16 MiB or half the growth.
    public static let standard = ResidentMemoryRule(floorKiB: 16 * 1024, fractionOfGrowth: 0.5)

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
