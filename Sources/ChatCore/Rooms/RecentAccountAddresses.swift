/// Where each registered account's sessions came from lately, kept after they leave, so a ban of an account that is
/// offline still bans the addresses its owner would come back from as a guest. In memory only (a restart forgets
/// it) and bounded: ``perAccount`` addresses per account, the most recent first, for at most ``accounts`` accounts,
/// the least recently seen going first. A value type: the hub keeps it.
struct RecentAccountAddresses {
    /// Addresses kept per account.
    static let perAccount = 4
    /// Accounts kept.
    static let accounts = 10_000

    private var byAccount: [String: (addresses: [String], sequence: UInt64)] = [:]
    private var sequence: UInt64 = 0

    /// Notes that a session of `account` came from the address key `address`.
    mutating func record(_ address: String, for account: String) {
        let key = account.lowercased()
        self.sequence += 1
        let previous = self.byAccount[key]?.addresses.filter { $0 != address } ?? []
        self.byAccount[key] = (Array(([address] + previous).prefix(Self.perAccount)), self.sequence)
        if self.byAccount.count > Self.accounts,
            let oldest = self.byAccount.min(by: { $0.value.sequence < $1.value.sequence })?.key
        {
            self.byAccount[oldest] = nil
        }
    }

    /// The addresses `account`'s sessions came from lately, the most recent first.
    func addresses(of account: String) -> [String] {
        self.byAccount[account.lowercased()]?.addresses ?? []
    }
}
