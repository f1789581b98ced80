import Foundation

/// Address bans set from the admin console (bans of registered nicknames live with the accounts).
public protocol BanStore: Sendable {
    /// The address bans still in force at `now`.
    func addressBans(now: Date) async throws -> [AddressBans.Ban]
    /// Keeps an address ban (replacing one for the same address).
    func saveAddressBan(_ ban: AddressBans.Ban) async throws
    /// Forgets address bans.
    func deleteAddressBans(_ addresses: [String]) async throws
}

extension BanStore {
    /// The address bans in force now.
    public func addressBans() async throws -> [AddressBans.Ban] {
        try await self.addressBans(now: Date())
    }
}
