/// Flood control: a sustained rate with a burst allowance.
///
/// A client over its rate is not disconnected and loses nothing: its next line simply waits, and because the
/// connection stops reading meanwhile, TCP pushes back on the sender. Everyone else is unaffected.
public struct TokenBucket: Sendable {
    /// Tokens added per second; 0 means unlimited.
    public let rate: Double
    /// The most tokens the bucket holds.
    public let burst: Double
    private var tokens: Double
    private var updatedAt: ContinuousClock.Instant

    public init(rate: Double, burst: Int, now: ContinuousClock.Instant = .now) {
        self.rate = rate
        self.burst = Double(max(1, burst))
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// Takes one token and says how long the caller must wait before acting (zero when it may act now).
    /// The token is reserved either way, so waiting the returned time and then acting keeps the rate.
    public mutating func take(now: ContinuousClock.Instant = .now) -> Duration {
        guard self.rate > 0 else { return .zero }
        self.tokens = self.tokens(at: now)
        self.updatedAt = now
        self.tokens -= 1
        if self.tokens >= 0 {
            return .zero
        }
        return .nanoseconds(Int64((-self.tokens / self.rate) * 1e9))
    }

    /// True when the bucket would be full at `now`: as if it had never been used.
    public func isFull(now: ContinuousClock.Instant = .now) -> Bool {
        self.rate <= 0 || self.tokens(at: now) >= self.burst
    }

    /// The tokens the bucket holds at `now`, refilled since it was last used.
    private func tokens(at now: ContinuousClock.Instant) -> Double {
        let elapsed = now - self.updatedAt
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(self.burst, self.tokens + elapsedSeconds * self.rate)
    }

    /// Returns the token just taken, for callers that refuse rather than wait.
    public mutating func giveBack() {
        self.tokens = min(self.burst, self.tokens + 1)
    }
}
