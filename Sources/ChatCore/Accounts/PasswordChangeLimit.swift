import Synchronization

/// How often one account may try `/password`: 5 times an hour (then one every 12 minutes), counted when the old
/// password is about to be checked, right or wrong. Each try costs two scrypt hashes, and a right old password meets
/// no guessing throttle, so without a cap a few accounts could keep the scrypt thread busy for ever. Nobody changes
/// a password five times an hour.
public final class PasswordChangeLimit: Sendable {
    /// Password changes (tried) one account may make in a burst, then one every 12 minutes.
    public static let perAccountPerHour = 5

    private let buckets = Mutex(
        TokenBuckets(
            rate: Double(PasswordChangeLimit.perAccountPerHour) / 3600,
            burst: PasswordChangeLimit.perAccountPerHour
        )
    )

    public init() {}

    /// Takes one change for `nickname`; nil when allowed, else how long until the next one is.
    public func take(for nickname: String, now: ContinuousClock.Instant = .now) -> Duration? {
        self.buckets.withLock { $0.take(for: nickname.lowercased(), now: now) }
    }

    /// Gives back a change whose old password was never checked (the queue was busy, the connection left).
    public func giveBack(for nickname: String) {
        self.buckets.withLock { $0.giveBack(for: nickname.lowercased()) }
    }
}
