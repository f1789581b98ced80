import Synchronization

/// How many nicknames may be registered from one address: 5 an hour by default (`--registrations-per-hour`), so
/// nobody can squat the namespace (one connection used to register 10 a second with `/register` and `/nick`). Each
/// connection may also register at most ``perConnection``. Loopback is limited too: registering is never a benchmark.
/// A class registering behind one NAT address raises the hourly number.
public final class RegistrationLimit: Sendable {
    /// Registrations one connection may make.
    public static let perConnection = 3
    /// The default of ``perAddressPerHour``.
    public static let defaultPerAddressPerHour = 5

    /// Registrations one address may make in a burst, then one every hour / this many; 0: no limit.
    public let perAddressPerHour: Int
    private let buckets: Mutex<TokenBuckets>

    public init(perAddressPerHour: Int = RegistrationLimit.defaultPerAddressPerHour) {
        self.perAddressPerHour = perAddressPerHour
        self.buckets = Mutex(TokenBuckets(rate: Double(perAddressPerHour) / 3600, burst: max(1, perAddressPerHour)))
    }

    /// Takes one registration for `address`; nil when allowed, else how long until the next one is.
    public func take(for address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        guard self.perAddressPerHour > 0 else { return nil }
        return self.buckets.withLock { $0.take(for: address, now: now) }
    }

    /// Gives back a registration that did not happen after all (the name was taken, the store failed).
    public func giveBack(for address: String) {
        guard self.perAddressPerHour > 0 else { return }
        self.buckets.withLock { $0.giveBack(for: address) }
    }
}
