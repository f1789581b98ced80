/// What the hub keeps, and how much of it comes back: the store (history, offline messages, accounts, bans) and
/// the history settings. The limits that guard accounts are ``AccountLimits``, which the hub holds beside it.
public struct Persistence: Sendable {
    public let store: any ChatStorage
    /// Whether room messages are written to the store (`--no-store-history` turns it off: nothing to replay).
    public let keepsRoomHistory: Bool
    /// Messages replayed on join and `/join` (`--history`).
    public let historyOnJoin: Int
    /// At most this many "since you left" messages are replayed to a returning registered user.
    public let catchUpLimit: Int
    /// `/history N` shows at most this many.
    public static let historyCommandLimit = 200

    public init(
        store: any ChatStorage,
        keepsRoomHistory: Bool = true,
        historyOnJoin: Int = 20,
        catchUpLimit: Int = 100
    ) {
        self.keepsRoomHistory = keepsRoomHistory
        self.store = store
        self.historyOnJoin = historyOnJoin
        self.catchUpLimit = catchUpLimit
    }
}
