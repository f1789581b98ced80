import ChatCore
import Testing

@Suite struct TokenBucketTests {
    private let start = ContinuousClock.now

    private func at(_ offset: Duration) -> ContinuousClock.Instant {
        self.start + offset
    }

    @Test(arguments: [1, 3, 5, 20])
    func burstIsAllowedImmediatelyThenTheNextLineWaits(burst: Int) {
        var bucket = TokenBucket(rate: 2, burst: burst, now: self.start)
        for _ in 0..<burst {
            #expect(bucket.take(now: self.start) == .zero)
        }
        #expect(bucket.take(now: self.start) == .milliseconds(500))
    }

    @Test func delaysGrowWhileTheClientKeepsSendingFasterThanTheRate() {
        var bucket = TokenBucket(rate: 4, burst: 2, now: self.start)
        #expect(bucket.take(now: self.start) == .zero)
        #expect(bucket.take(now: self.start) == .zero)
        #expect(bucket.take(now: self.start) == .milliseconds(250))
        #expect(bucket.take(now: self.start) == .milliseconds(500))
        #expect(bucket.take(now: self.start) == .milliseconds(750))
        #expect(bucket.take(now: self.start) == .seconds(1))
    }

    @Test func waitingTheReturnedDelayKeepsTheSustainedRate() {
        var bucket = TokenBucket(rate: 2, burst: 1, now: self.start)
        #expect(bucket.take(now: self.start) == .zero)
        #expect(bucket.take(now: self.start) == .milliseconds(500))
        // The caller waited 500 ms and acted; its reserved token is used, so the next one waits a full interval.
        #expect(bucket.take(now: self.at(.milliseconds(500))) == .milliseconds(500))
        #expect(bucket.take(now: self.at(.milliseconds(1500))) == .zero)
    }

    @Test func tokensRefillOverTime() {
        var bucket = TokenBucket(rate: 2, burst: 2, now: self.start)
        #expect(bucket.take(now: self.start) == .zero)
        #expect(bucket.take(now: self.start) == .zero)
        #expect(bucket.take(now: self.start) == .milliseconds(500))
        // 1.5 s refill three tokens: the reserved one is paid back and the bucket is full again, but no fuller.
        let later = self.at(.milliseconds(1500))
        #expect(bucket.take(now: later) == .zero)
        #expect(bucket.take(now: later) == .zero)
        #expect(bucket.take(now: later) == .milliseconds(500))
    }

    @Test func partialRefillShortensTheDelay() {
        var bucket = TokenBucket(rate: 10, burst: 1, now: self.start)
        #expect(bucket.take(now: self.start) == .zero)
        // 40 ms gives 0.4 tokens; 0.6 are missing, which takes 60 ms at 10 per second.
        let delay = bucket.take(now: self.at(.milliseconds(40)))
        #expect(delay > .milliseconds(59))
        #expect(delay <= .milliseconds(60))
    }

    @Test func refillIsCappedAtTheBurst() {
        var bucket = TokenBucket(rate: 100, burst: 3, now: self.start)
        let muchLater = self.at(.seconds(3600))
        for _ in 0..<3 {
            #expect(bucket.take(now: muchLater) == .zero)
        }
        #expect(bucket.take(now: muchLater) == .milliseconds(10))
    }

    @Test func idleTimeAfterABurstRestoresTheWholeBurst() {
        var bucket = TokenBucket(rate: 1, burst: 3, now: self.start)
        for _ in 0..<3 {
            #expect(bucket.take(now: self.start) == .zero)
        }
        #expect(bucket.take(now: self.start) == .seconds(1))
        let rested = self.at(.seconds(10))
        for _ in 0..<3 {
            #expect(bucket.take(now: rested) == .zero)
        }
        #expect(bucket.take(now: rested) == .seconds(1))
    }

    @Test(arguments: [0, -1])
    func burstBelowOneIsTreatedAsOne(burst: Int) {
        var bucket = TokenBucket(rate: 1, burst: burst, now: self.start)
        #expect(bucket.burst == 1)
        #expect(bucket.take(now: self.start) == .zero)
        #expect(bucket.take(now: self.start) == .seconds(1))
    }

    @Test(arguments: [1, 100])
    func rateZeroNeverDelays(burst: Int) {
        var bucket = TokenBucket(rate: 0, burst: burst, now: self.start)
        for _ in 0..<1000 {
            #expect(bucket.take(now: self.start) == .zero)
        }
        #expect(bucket.take(now: self.at(.nanoseconds(1))) == .zero)
    }

    @Test func exposesRateAndBurst() {
        let bucket = TokenBucket(rate: 2.5, burst: 7, now: self.start)
        #expect(bucket.rate == 2.5)
        #expect(bucket.burst == 7)
    }
}
