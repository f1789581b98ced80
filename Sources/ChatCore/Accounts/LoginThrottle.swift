import Synchronization

/// Slows down password guessing without ever letting strangers lock an owner out.
///
/// - Every wrong password doubles the wait before the next check (0.5 s, 1 s, 2 s … up to 30 s) for the same
///   nickname from the same address. Failures are forgotten after 15 minutes.
/// - An address slows down as a whole only past ``addressAllowance`` failures: a classroom behind one NAT address
///   should not wait for one person's typos, while an address spraying guesses over many nicknames still does.
/// - Wrong passwords for a nickname from *any* address slow down that nickname too, but only for addresses it is
///   not known at: an address where it logged in (or registered) in the last 30 days is trusted, so a guesser
///   elsewhere can never keep its owner out.
/// - At most one check runs at a time per nickname and address, per nickname for untrusted addresses, and per
///   address once it is past its allowance; another attempt meanwhile
///   is told to try again (``Admission/busy``) instead of queueing hash work. Guesses sent in parallel are therefore
///   serialised: at most one per nickname per (delay + hash) from untrusted addresses, however many connections an
///   attacker opens, which is about 2 a minute once the nickname's delay has reached its cap.
///
/// The throttle never sleeps itself: the caller waits the delay it is given, outside any timer of its dialogue.
public final class LoginThrottle: Sendable {
    /// Failures older than this no longer count.
    public static let forgetAfter = Duration.seconds(15 * 60)
    /// The longest wait before a check.
    public static let maximumDelay = Duration.seconds(30)
    /// How long an address stays trusted for a nickname after a login there.
    public static let trustFor = Duration.seconds(30 * 24 * 3600)
    /// Trusted addresses kept per nickname (the most recent).
    static let maximumTrustedPerNickname = 8
    /// Wrong passwords from one address (for any nicknames, within ``forgetAfter``) before the address as a whole is
    /// slowed down and checked one at a time.
    public static let addressAllowance = 10
    /// Failure records kept before stale ones are swept.
    static let sweepThreshold = 10_000

    /// A check that was let through; end it with ``finish(_:_:now:)``.
    public struct Attempt: Sendable, Hashable {
        /// The nickname, case-folded.
        public let nickname: String
        /// The address key (``PeerAddress/key``).
        public let address: String
        /// Whether the address is trusted for the nickname (it logged in there before).
        public let isTrusted: Bool
        /// Whether the address is past its ``LoginThrottle/addressAllowance`` of failures, so it is checked one
        /// attempt at a time whatever the nickname.
        public let isAddressSuspect: Bool
    }

    /// Whether a check may run, and after how long.
    public enum Admission: Sendable, Equatable {
        /// Wait `after`, then check, then call ``LoginThrottle/finish(_:_:now:)``.
        case proceed(Attempt, after: Duration)
        /// Another check for this nickname or from this address is running: try again in a moment.
        case busy
    }

    /// How a check ended.
    public enum Outcome: Sendable {
        case right
        case wrong
        /// Not checked after all (the connection left, or the hash queue was full): counts for nothing.
        case unchecked
    }

    private struct Record {
        var failures: Int
        var last: ContinuousClock.Instant
    }

    private struct State {
        var failures: [String: Record] = [:]
        var failuresAfterSweep = 0
        var running: Set<String> = []
        /// Nickname → address → last login there.
        var trusted: [String: [String: ContinuousClock.Instant]] = [:]
    }

    private let state = Mutex(State())
    /// Who else must count this throttle's outcomes (the other nodes of a cluster), if anyone.
    private let outcomeListener = Mutex<(@Sendable (_ nickname: String, _ address: String, _ right: Bool) -> Void)?>(
        nil
    )

    public init() {}

    /// Tells `listener` every right or wrong password this throttle counts, so the other nodes of a cluster count
    /// it too (``record(right:nickname:address:now:)``): a guesser spreading tries over nodes meets one slowdown.
    public func shareOutcomes(
        with listener: @escaping @Sendable (_ nickname: String, _ address: String, _ right: Bool) -> Void
    ) {
        self.outcomeListener.withLock { $0 = listener }
    }

    /// Counts a check made elsewhere (on another node): a wrong password slows down as one here would, a right one
    /// trusts the address.
    public func record(right: Bool, nickname: String, address: String, now: ContinuousClock.Instant = .now) {
        let nickname = nickname.lowercased()
        self.state.withLock { state in
            Self.count(right: right, nickname: nickname, address: address, in: &state, now: now)
        }
    }

    /// Asks to check a password for `nickname` from the address with key `address`.
    public func begin(nickname: String, address: String, now: ContinuousClock.Instant = .now) -> Admission {
        let nickname = nickname.lowercased()
        return self.state.withLock { state in
            let isTrusted = Self.isTrusted(nickname, address, in: &state, now: now)
            let isSuspect = Self.addressFailures(address, in: &state, now: now) > 0
            let attempt = Attempt(
                nickname: nickname,
                address: address,
                isTrusted: isTrusted,
                isAddressSuspect: isSuspect
            )
            let locks = Self.locks(for: attempt)
            guard state.running.isDisjoint(with: locks) else { return .busy }
            state.running.formUnion(locks)
            return .proceed(attempt, after: Self.delay(for: attempt, in: &state, now: now))
        }
    }

    /// Ends a check: a wrong password counts against the nickname and the address, a right one trusts the address
    /// for the nickname from now on.
    public func finish(_ attempt: Attempt, _ outcome: Outcome, now: ContinuousClock.Instant = .now) {
        self.state.withLock { state in
            state.running.subtract(Self.locks(for: attempt))
            guard outcome != .unchecked else { return }
            Self.count(
                right: outcome == .right,
                nickname: attempt.nickname,
                address: attempt.address,
                in: &state,
                now: now
            )
        }
        if outcome != .unchecked, let listener = self.outcomeListener.withLock({ $0 }) {
            listener(attempt.nickname, attempt.address, outcome == .right)
        }
    }

    /// A right password forgets the pair's failures and trusts the address; a wrong one counts against the nickname
    /// and the address.
    private static func count(
        right: Bool,
        nickname: String,
        address: String,
        in state: inout State,
        now: ContinuousClock.Instant
    ) {
        if right {
            state.failures[Self.pairKey(nickname, address)] = nil
            Self.trust(nickname, address, in: &state, now: now)
            return
        }
        for key in Self.failureKeys(nickname, address) {
            let failures = (state.failures[key].map { now - $0.last > Self.forgetAfter ? 0 : $0.failures } ?? 0)
            state.failures[key] = Record(failures: failures + 1, last: now)
        }
        Self.sweepIfLarge(&state, now: now)
    }

    /// Trusts `address` for `nickname` without a check: whoever just registered it there knows its password.
    public func trust(nickname: String, address: String, now: ContinuousClock.Instant = .now) {
        self.state.withLock { Self.trust(nickname.lowercased(), address, in: &$0, now: now) }
    }

    /// The wait a check for `nickname` from `address` would get now (for tests and logs; no lock is taken).
    public func delay(nickname: String, address: String, now: ContinuousClock.Instant = .now) -> Duration {
        let nickname = nickname.lowercased()
        return self.state.withLock { state in
            let attempt = Attempt(
                nickname: nickname,
                address: address,
                isTrusted: Self.isTrusted(nickname, address, in: &state, now: now),
                isAddressSuspect: false
            )
            return Self.delay(for: attempt, in: &state, now: now)
        }
    }

    // MARK: The rules

    private static func delay(for attempt: Attempt, in state: inout State, now: ContinuousClock.Instant) -> Duration {
        var keys = [Self.pairKey(attempt.nickname, attempt.address)]
        if !attempt.isTrusted {
            keys.append(Self.nicknameKey(attempt.nickname))
        }
        let failures = max(
            keys.map { Self.recentFailures(under: $0, in: &state, now: now) }.max() ?? 0,
            Self.addressFailures(attempt.address, in: &state, now: now)
        )
        guard failures > 0 else { return .zero }
        return min(Duration.milliseconds(500) * (1 << min(failures - 1, 10)), Self.maximumDelay)
    }

    /// Failures recorded under `key` within ``forgetAfter`` (an older record is dropped).
    private static func recentFailures(under key: String, in state: inout State, now: ContinuousClock.Instant) -> Int {
        guard let record = state.failures[key] else { return 0 }
        guard now - record.last <= Self.forgetAfter else {
            state.failures[key] = nil
            return 0
        }
        return record.failures
    }

    /// The failures that count against an address as a whole: those beyond its allowance.
    private static func addressFailures(_ address: String, in state: inout State, now: ContinuousClock.Instant) -> Int {
        max(0, Self.recentFailures(under: Self.addressKey(address), in: &state, now: now) - Self.addressAllowance)
    }

    /// What a running check holds: its nickname and address always; the nickname alone unless the address is
    /// trusted for it; the address alone once it is past its allowance.
    private static func locks(for attempt: Attempt) -> Set<String> {
        var locks: Set<String> = [Self.pairKey(attempt.nickname, attempt.address)]
        if !attempt.isTrusted { locks.insert(Self.nicknameKey(attempt.nickname)) }
        if attempt.isAddressSuspect { locks.insert(Self.addressKey(attempt.address)) }
        return locks
    }

    private static func isTrusted(
        _ nickname: String,
        _ address: String,
        in state: inout State,
        now: ContinuousClock.Instant
    ) -> Bool {
        guard let since = state.trusted[nickname]?[address] else { return false }
        guard now - since <= Self.trustFor else {
            state.trusted[nickname]?[address] = nil
            return false
        }
        return true
    }

    private static func trust(
        _ nickname: String,
        _ address: String,
        in state: inout State,
        now: ContinuousClock.Instant
    ) {
        var addresses = state.trusted[nickname, default: [:]]
        addresses[address] = now
        if addresses.count > Self.maximumTrustedPerNickname, let oldest = addresses.min(by: { $0.value < $1.value }) {
            addresses[oldest.key] = nil
        }
        state.trusted[nickname] = addresses
    }

    /// Forgets stale failures once the table has grown (doubling thresholds keep the sweeps rare).
    private static func sweepIfLarge(_ state: inout State, now: ContinuousClock.Instant) {
        guard state.failures.count > max(Self.sweepThreshold, 2 * state.failuresAfterSweep) else { return }
        state.failures = state.failures.filter { now - $0.value.last <= Self.forgetAfter }
        state.failuresAfterSweep = state.failures.count
    }

    private static func failureKeys(_ nickname: String, _ address: String) -> [String] {
        [Self.pairKey(nickname, address), Self.addressKey(address), Self.nicknameKey(nickname)]
    }

    private static func pairKey(_ nickname: String, _ address: String) -> String { "pair:\(nickname) \(address)" }
    private static func addressKey(_ address: String) -> String { "addr:" + address }
    private static func nicknameKey(_ nickname: String) -> String { "nick:" + nickname }
}
