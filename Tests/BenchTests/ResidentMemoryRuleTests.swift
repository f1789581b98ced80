import ChatBench
import Testing

/// The soak's memory rule: RSS after ≤ baseline + max(floor, fraction × growth).
@Suite struct ResidentMemoryRuleTests {
    private let rule = ResidentMemoryRule.standard

    @Test func aSmallRunMayKeepUpToTheFloor() {
        // The CI soak: 2 MiB of growth, all of it kept.
        #expect(self.rule.holds(baselineKiB: 38_000, peakKiB: 40_000, afterKiB: 40_000))
        #expect(self.rule.allowedAfter(baselineKiB: 38_000, peakKiB: 40_000) == 38_000 + 16 * 1024)
        #expect(!self.rule.holds(baselineKiB: 38_000, peakKiB: 40_000, afterKiB: 38_000 + 16 * 1024 + 1))
    }

    @Test func aBigRunMayKeepWhatTheAllocatorKeepsButNotWhatALeakKeeps() {
        // 100 MiB of transient growth, 71 % kept by the allocator: fine.
        let baseline = 32 * 1024
        #expect(self.rule.holds(baselineKiB: baseline, peakKiB: baseline + 100 * 1024, afterKiB: baseline + 71 * 1024))
        // A leak keeps all it took: 60 MiB leaked on top of 100 MiB transient (71 % of which is kept).
        let peak = baseline + 160 * 1024
        #expect(!self.rule.holds(baselineKiB: baseline, peakKiB: peak, afterKiB: baseline + (60 + 71) * 1024))
    }

    @Test func memoryBelowTheBaselineHolds() {
        #expect(self.rule.holds(baselineKiB: 40_000, peakKiB: 39_000, afterKiB: 35_000))
        #expect(self.rule.allowedAfter(baselineKiB: 40_000, peakKiB: 39_000) == 40_000 + 16 * 1024)
    }
}
