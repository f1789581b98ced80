import Foundation
import Synchronization

/// Addresses the console has banned for a while (guests have no account to ban): checked before a connection gets
/// anything but its refusal. Kept in memory for the checks and in the store so a restart keeps them.
public final class AddressBans: Sendable {
    /// One ban.
    public struct Ban: Sendable, Equatable {
        /// The address key (``PeerAddress/key``).
        public let address: String
        /// Who was using it when banned, for `bans` and `unban NICK`.
        public let nickname: String
        public let until: Date
        public let reason: String?

        public init(address: String, nickname: String, until: Date, reason: String?) {
            self.address = address
            self.nickname = nickname
            self.until = until
            self.reason = reason
        }

        /// `2026-12-02T21:30:00Z (spamming)`: when it ends, and why.
        public var endDescription: String {
            self.until.ISO8601Format() + (self.reason.map { " (\($0))" } ?? "")
        }
    }

    /// Bans kept at most; the oldest go first.
    static let maximumBans = 10_000

    private let bans = Mutex<[String: Ban]>([:])

    public init(_ bans: [Ban] = []) {
        self.bans.withLock { table in
            for ban in bans { table[ban.address] = ban }
        }
    }

    /// The ban on `address` in force at `now`, if any.
    public func ban(for address: String, now: Date = Date()) -> Ban? {
        self.bans.withLock { table in
            guard let ban = table[address] else { return nil }
            guard ban.until > now else {
                table[address] = nil
                return nil
            }
            return ban
        }
    }

    /// Adds (or replaces) a ban.
    public func add(_ ban: Ban) {
        self.bans.withLock { table in
            table[ban.address] = ban
            if table.count > Self.maximumBans, let oldest = table.values.min(by: { $0.until < $1.until }) {
                table[oldest.address] = nil
            }
        }
    }

    /// Lifts the bans on `addressOrNickname` (an address key, or the nickname recorded with them); returns them.
    public func lift(_ addressOrNickname: String) -> [Ban] {
        self.bans.withLock { table in
            let lifted = table.values.filter {
                $0.address == addressOrNickname || $0.nickname.lowercased() == addressOrNickname.lowercased()
            }
            for ban in lifted { table[ban.address] = nil }
            return lifted
        }
    }

    /// The bans in force, soonest to end first.
    public func current(now: Date = Date()) -> [Ban] {
        self.bans.withLock { table in
            table = table.filter { $0.value.until > now }
            return table.values.sorted { $0.until < $1.until }
        }
    }
}
