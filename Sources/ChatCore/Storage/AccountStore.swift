import Foundation

/// Registered nicknames: password hashes, where their owners left off, bans and the ignore lists kept with them.
public protocol AccountStore: Sendable {
    /// The account registered for `nickname` (any case), if any.
    func account(for nickname: String) async throws -> Account?
    /// Registers `nickname`; false when it is already registered.
    func createAccount(nickname: String, passwordHash: String, lastSeenMessageID: Int64) async throws -> Bool
    /// Replaces an account's password hash.
    func updatePassword(nickname: String, passwordHash: String) async throws
    /// Remembers where in the history the owner left off.
    func updateLastSeen(nickname: String, messageID: Int64) async throws
    /// Remembers that the owner logged in at `time` (accounts unused for `--account-expiry-days` are deleted).
    func recordLogin(nickname: String, at time: Date) async throws
    /// Deletes the accounts nobody has logged into for `maximumIdle` before `now`, with the private messages
    /// waiting for them; banned accounts stay, so a ban cannot be waited out. Returns how many were deleted.
    func deleteAccounts(unusedFor maximumIdle: Duration, now: Date) async throws -> Int
    /// The nickname keys the owner of `account` ignores.
    func ignoredNicknames(by account: String) async throws -> [String]
    /// Adds `ignoredKey` to (or removes it from) the ignore list kept with `account`.
    func setIgnored(_ ignored: Bool, _ ignoredKey: String, by account: String) async throws
    /// The registered nicknames that are banned.
    func bannedNicknames() async throws -> [String]
    /// Bans (until `until`, or for good when nil) or unbans a registered nickname; false when it is not registered.
    func setBanned(_ banned: Bool, nickname: String, until: Date?) async throws -> Bool
    /// The public keys bound to the registered `nickname` (any case), oldest first.
    func keys(of nickname: String) async throws -> [AccountKey]
    /// Binds `key` to the registered `nickname`; false when it is bound already, or the nickname is not registered.
    func bindKey(_ key: AccountKey, to nickname: String) async throws -> Bool
    /// Unbinds the key whose fingerprint is `fingerprint` from `nickname`; false when no such key was bound.
    func unbindKey(fingerprint: String, from nickname: String) async throws -> Bool
}

extension AccountStore {
    /// Remembers that the owner just logged in.
    public func recordLogin(nickname: String) async throws {
        try await self.recordLogin(nickname: nickname, at: Date())
    }

    /// Bans a registered nickname for good, or unbans it; false when it is not registered.
    public func setBanned(_ banned: Bool, nickname: String) async throws -> Bool {
        try await self.setBanned(banned, nickname: nickname, until: nil)
    }

    /// Deletes the accounts nobody has logged into for `maximumIdle` until now.
    public func deleteAccounts(unusedFor maximumIdle: Duration) async throws -> Int {
        try await self.deleteAccounts(unusedFor: maximumIdle, now: Date())
    }
}
