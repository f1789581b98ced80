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
        self.records.withLock { Self.delay(in: &$0, keys: self.keys(nickname, address), now: now) }
    }

    /// Starts checking a password: returns how long to wait first and counts the attempt as a failure (taken back
    /// by ``recordSuccess(nickname:address:)``), in one step, so guesses sent in parallel slow each other down.
    public func beginAttempt(nickname: String, address: String, now: ContinuousClock.Instant = .now) -> Duration {
        let keys = self.keys(nickname, address)
        return self.records.withLock { records in
            let delay = Self.delay(in: &records, keys: keys, now: now)
            Self.count(in: &records, keys: keys, now: now)
            return delay
        }
    }

    /// Records a wrong password.
    public func recordFailure(nickname: String, address: String, now: ContinuousClock.Instant = .now) {
        let keys = self.keys(nickname, address)
        self.records.withLock { Self.count(in: &$0, keys: keys, now: now) }
    }

    /// Records a correct password: the nickname's count is cleared, and the address gets back the attempt that was
    /// counted before checking.
    public func recordSuccess(nickname: String, address: String) {
        let (nicknameKey, addressKey) = self.keys(nickname, address)
        self.records.withLock { records in
            records.removeValue(forKey: nicknameKey)
            if let record = records[addressKey] {
                records[addressKey] = record.failures > 1 ? Record(failures: record.failures - 1, last: record.last) : nil
            }
        }
    }

    private static func delay(
        in records: inout [String: Record],
        keys: (String, String),
        now: ContinuousClock.Instant
    ) -> Duration {
        let failures = [keys.0, keys.1].map { key -> Int in
            guard let record = records[key] else { return 0 }
            if now - record.last > Self.forgetAfter {
                records[key] = nil
                return 0
            }
            return record.failures
        }.max() ?? 0
        guard failures > 0 else { return .zero }
        return min(Duration.milliseconds(500) * (1 << min(failures - 1, 10)), Self.maximumDelay)
    }

    private static func count(in records: inout [String: Record], keys: (String, String), now: ContinuousClock.Instant) {
        for key in [keys.0, keys.1] {
            let failures = (records[key].map { now - $0.last > Self.forgetAfter ? 0 : $0.failures } ?? 0) + 1
            records[key] = Record(failures: failures, last: now)
        }
        // Bounded: forget the stale ones when the table grows.
        if records.count > 10_000 {
            records = records.filter { now - $0.value.last <= Self.forgetAfter }
        }
    }

    private func keys(_ nickname: String, _ address: String) -> (String, String) {
        // The address without its port, so reconnecting does not reset the count (IPv6 keeps its colons).
        let host = address.lastIndex(of: ":").map { String(address[..<$0]) } ?? address
        return ("nick:" + nickname.lowercased(), "addr:" + host)
    }
}
