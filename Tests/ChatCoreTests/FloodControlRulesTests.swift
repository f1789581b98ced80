import Testing

@testable import ChatCore

/// ``FloodControl`` on a clock the test moves: the burst, the delays beyond it and how often the client is told. The
/// end-to-end `FloodControlTests` keep only what a busy machine cannot blur (order, lower bounds on time).
@Suite struct FloodControlRulesTests {
    private var flood = FloodControl(rate: 5, burst: 5)
    // Taken after the bucket was made, so it has refilled by at most the instant in between.
    private let start = ContinuousClock.now

    private func at(_ offset: Duration) -> ContinuousClock.Instant {
        self.start + offset
    }

    @Test mutating func letsTheBurstThroughAtOnceWithoutAWord() {
        for _ in 0..<5 {
            let (delay, warn) = self.flood.admit(now: self.start)
            #expect(delay == .zero && !warn)
        }
    }

    @Test mutating func delaysTheLinesBeyondTheBurstAtTheRateAndSaysSoOnce() {
        for _ in 0..<5 { _ = self.flood.admit(now: self.start) }
        var delays: [Duration] = []
        var warnings = 0
        for _ in 0..<45 {
            let (delay, warn) = self.flood.admit(now: self.start)
            delays.append(delay)
            warnings += warn ? 1 : 0
        }
        // Five lines a second: the 45th line beyond the burst waits about 9 s; each waits 200 ms more than the last.
        #expect(delays.first.map { $0 > .milliseconds(190) && $0 <= .milliseconds(200) } == true, "\(delays)")
        #expect(delays.last.map { $0 > .milliseconds(8990) && $0 <= .seconds(9) } == true, "\(delays)")
        #expect(zip(delays, delays.dropFirst()).allSatisfy { $1 > $0 })
        #expect(warnings == 1)
    }

    @Test mutating func repeatsTheNoticeOnlyAfterTheWarningInterval() {
        for _ in 0..<5 { _ = self.flood.admit(now: self.start) }
        #expect(self.flood.admit(now: self.start).warn)
        // Still flooding a moment later: delayed, not told again.
        let soon = self.flood.admit(now: self.at(.milliseconds(100)))
        #expect(soon.delay > .zero && !soon.warn)
        // Still flooding after the interval: told again.
        var later = (delay: Duration.zero, warn: false)
        for _ in 0..<20 where later.delay == .zero {
            later = self.flood.admit(now: self.at(FloodControl.warningInterval + .seconds(1)))
        }
        #expect(later.delay > .zero && later.warn)
    }

    @Test mutating func neverDelaysAnythingWhenTheRateIsZero() {
        self.flood = FloodControl(rate: 0, burst: 5)
        for _ in 0..<100 {
            let (delay, warn) = self.flood.admit(now: self.start)
            #expect(delay == .zero && !warn)
        }
    }
}
