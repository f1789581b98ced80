import Synchronization

/// How many nicknames may be registered from one address: 5 an hour, so nobody can squat the namespace (one
/// connection used to register 10 a second with `/register` and `/nick`). Each connection may also register at most
/// ``perConnection``. Loopback is limited too: registering is never a benchmark.
public final class RegistrationLimit: Sendable {
    /// Registrations one connection may make.
    public static let perConnection = 3
    /// Registrations one address may make in a burst, then one every 12 minutes.
    public static let perAddressPerHour = 5

    private let buckets = Mutex(
        TokenBuckets(rate: Double(RegistrationLimit.perAddressPerHour) / 3600, burst: RegistrationLimit.perAddressPerHour)
    )

    public init() {}

    /// Takes one registration for `address`; nil when allowed, else how long until the next one is.
    public func take(for address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        self.buckets.withLock { $0.take(for: address, now: now) }
    }

    /// Gives back a registration that did not happen after all (the name was taken, the store failed).
    public func giveBack(for address: String) {
        self.buckets.withLock { $0.giveBack(for: address) }
    }
}
