/// A token bucket per key (an address, say), for limits that refuse rather than wait: every take counts, a refusal
/// gives its token back (so a client that keeps trying gets in at the plain rate), and keys whose bucket has refilled
/// are forgotten once the table has grown, so it stays bounded. A value type: its owner keeps it behind its own lock.
struct TokenBuckets {
    let rate: Double
    let burst: Int
    /// Keys kept at most; past that, new keys are not limited (fail open) rather than the table growing.
    let maximumKeys: Int

    private var buckets: [String: TokenBucket] = [:]
    /// The table's size after its last sweep; it is swept again once it has doubled.
    private var sizeAfterSweep = 0
    static let sweepThreshold = 1024

    init(rate: Double, burst: Int, maximumKeys: Int = 100_000) {
        self.rate = rate
        self.burst = burst
        self.maximumKeys = maximumKeys
    }

    /// Takes a token for `key`: nil when allowed, else how long until the next one is.
    mutating func take(for key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        guard self.rate > 0 else { return nil }
        if self.buckets[key] == nil {
            self.sweepIfLarge(now: now)
            guard self.buckets.count < self.maximumKeys else { return nil }
            self.buckets[key] = TokenBucket(rate: self.rate, burst: self.burst, now: now)
        }
        let wait = self.buckets[key]!.take(now: now)
        guard wait > .zero else { return nil }
        self.buckets[key]!.giveBack()
        return wait
    }

    /// Gives back a token taken for something that did not happen after all.
    mutating func giveBack(for key: String) {
        self.buckets[key]?.giveBack()
    }

    /// Forgets keys whose bucket has refilled: they are as good as new.
    private mutating func sweepIfLarge(now: ContinuousClock.Instant) {
        guard self.buckets.count >= max(Self.sweepThreshold, 2 * self.sizeAfterSweep) else { return }
        self.buckets = self.buckets.filter { !$0.value.isFull(now: now) }
        self.sizeAfterSweep = self.buckets.count
    }
}
