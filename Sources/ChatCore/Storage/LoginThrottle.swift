import Synchronization

/// Slows down password guessing: every wrong password for a nickname, or from an address, doubles the wait before
/// the next answer to either (0.5 s, 1 s, 2 s … up to 30 s). Failures are forgotten after 15 minutes, and a correct
/// password clears the nickname's count.
public final class LoginThrottle: Sendable {
    static let forgetAfter = Duration.seconds(15 * 60)
    static let maximumDelay = Duration.seconds(30)

    private struct Record {
        var failures: Int
        var last: ContinuousClock.Instant
    }

    private let records = Mutex<[String: Record]>([:])

    public init() {}

    /// How long to wait before checking a password for `nickname` from `address`.
    public func delay(nickname: String, address: String, now: ContinuousClock.Instant = .now) -> Duration {
        let failures = self.records.withLock { records in
            [self.key(nickname: nickname), self.key(address: address)].map { key -> Int in
                guard let record = records[key] else { return 0 }
                if now - record.last > Self.forgetAfter {
                    records[key] = nil
                    return 0
                }
                return record.failures
            }.max() ?? 0
        }
        guard failures > 0 else { return .zero }
        let delay = Duration.milliseconds(500) * (1 << min(failures - 1, 10))
        return min(delay, Self.maximumDelay)
    }

    /// Records a wrong password.
    public func recordFailure(nickname: String, address: String, now: ContinuousClock.Instant = .now) {
        self.records.withLock { records in
            for key in [self.key(nickname: nickname), self.key(address: address)] {
                let failures = (records[key].map { now - $0.last > Self.forgetAfter ? 0 : $0.failures } ?? 0) + 1
                records[key] = Record(failures: failures, last: now)
            }
            // Bounded: forget the stale ones when the table grows.
            if records.count > 10_000 {
                records = records.filter { now - $0.value.last <= Self.forgetAfter }
            }
        }
    }

    /// Records a correct password.
    public func recordSuccess(nickname: String) {
        _ = self.records.withLock { $0.removeValue(forKey: self.key(nickname: nickname)) }
    }

    private func key(nickname: String) -> String { "nick:" + nickname.lowercased() }
    private func key(address: String) -> String {
        // The address without its port: reconnecting does not reset the count.
        "addr:" + (address.split(separator: ":").dropLast().joined(separator: ":"))
    }
}
