/// A client's flood control: the bucket, plus when the client was last told it is being slowed down.
struct FloodControl {
    /// How often at most the "slow down" notice repeats while a client keeps flooding.
    static let warningInterval = Duration.seconds(5)

    private var bucket: TokenBucket
    private var lastWarning: ContinuousClock.Instant?

    init(rate: Double, burst: Int) {
        self.bucket = TokenBucket(rate: rate, burst: burst)
    }

    /// "20" or "2.5": the rate as users read it.
    var rateDescription: String {
        self.bucket.rate == self.bucket.rate.rounded() ? String(Int(self.bucket.rate)) : String(self.bucket.rate)
    }

    /// How long to hold the next line, and whether to tell the client.
    mutating func admit(now: ContinuousClock.Instant = .now) -> (delay: Duration, warn: Bool) {
        let delay = self.bucket.take(now: now)
        guard delay > .zero else { return (.zero, false) }
        if let lastWarning, now - lastWarning < Self.warningInterval {
            return (delay, false)
        }
        self.lastWarning = now
        return (delay, true)
    }
}
