import ChatCore
import Foundation
import PostgresNIO

/// The console's address bans.
extension PostgresChatStore {
    /// The address bans still in force at `now`.
    public func addressBans(now: Date) async throws -> [AddressBans.Ban] {
        let rows = try await self.client.query(
            """
            SELECT address, nickname, until_ms, reason FROM address_bans WHERE until_ms > \(Self.milliseconds(now))
            ORDER BY address COLLATE "C"
            """,
            logger: self.logger
        )
        var bans: [AddressBans.Ban] = []
        for try await (address, nickname, until, reason) in rows.decode((String, String, Int64, String?).self) {
            bans.append(
                AddressBans.Ban(
                    address: address,
                    nickname: nickname,
                    until: Date(timeIntervalSince1970: Double(until) / 1000),
                    reason: reason
                )
            )
        }
        return bans
    }

    /// Keeps an address ban (replacing one for the same address), and forgets the bans that have ended.
    public func saveAddressBan(_ ban: AddressBans.Ban) async throws {
        try await self.execute(
            """
            INSERT INTO address_bans (address, nickname, until_ms, reason)
            VALUES (\(ban.address), \(ban.nickname), \(Self.milliseconds(ban.until)), \(ban.reason))
            ON CONFLICT (address) DO UPDATE SET nickname = excluded.nickname, until_ms = excluded.until_ms,
                reason = excluded.reason
            """
        )
        try await self.execute("DELETE FROM address_bans WHERE until_ms <= \(Self.nowMilliseconds())")
    }

    /// Forgets address bans.
    public func deleteAddressBans(_ addresses: [String]) async throws {
        guard !addresses.isEmpty else { return }
        try await self.execute("DELETE FROM address_bans WHERE address = ANY(\(addresses)::text[])")
    }
}
