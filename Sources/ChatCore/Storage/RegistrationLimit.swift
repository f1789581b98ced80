import Synchronization

/// How many nicknames may be registered from one address: 5 an hour, so nobody can squat the namespace (one
/// connection used to register 10 a second with `/register` and `/nick`). Each connection may also register at most
/// ``perConnection``. Loopback is limited too: registering is never a benchmark.
public final class RegistrationLimit: Sendable {
    /// Registrations one connection may make.
    public static let perConnection = 3
    /// Registrations one address may make in a burst, then one every 12 minutes.
    public static let perAddressPerHour = 5
    /// Addresses remembered before those whose allowance has refilled are forgotten.
    static let sweepThreshold = 10_000

    private struct State {
        var addresses: [String: TokenBucket] = [:]
        var sizeAfterSweep = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Takes one registration for `address`; nil when allowed, else how long until the next one is.
    public func take(for address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        self.state.withLock { state in
            if state.addresses.count > max(Self.sweepThreshold, 2 * state.sizeAfterSweep) {
                state.addresses = state.addresses.filter { !$0.value.isFull(now: now) }
                state.sizeAfterSweep = state.addresses.count
            }
            let fresh = TokenBucket(rate: Double(Self.perAddressPerHour) / 3600, burst: Self.perAddressPerHour, now: now)
            let wait = state.addresses[address, default: fresh].take(now: now)
            guard wait > .zero else { return nil }
            state.addresses[address]!.giveBack()
            return wait
        }
    }

    /// Gives back a registration that did not happen after all (the name was taken, the store failed).
    public func giveBack(for address: String) {
        self.state.withLock { _ = $0.addresses[address]?.giveBack() }
    }
}
