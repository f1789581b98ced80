/// Everything the hub needs to remember: the store, the login throttle, and how much history to replay.
public struct Persistence: Sendable {
    public let store: ChatStore
    public let login: LoginThrottle
    /// Messages replayed on join and `/join` (`--history`).
    public let historyOnJoin: Int
    /// At most this many "since you left" messages are replayed to a returning registered user.
    public let catchUpLimit: Int
    /// `/history N` shows at most this many.
    public static let historyCommandLimit = 200

    public init(store: ChatStore, historyOnJoin: Int = 20, catchUpLimit: Int = 100) {
        self.store = store
        self.login = LoginThrottle()
        self.historyOnJoin = historyOnJoin
        self.catchUpLimit = catchUpLimit
    }
}
