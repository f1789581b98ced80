/// Everything the hub needs to remember: the store, the login throttle, and how much history to replay.
public struct Persistence: Sendable {
    public let store: any ChatStorage
    public let login: LoginThrottle
    /// Registrations per address.
    public let registrations: RegistrationLimit
    /// `/password` tries per account.
    public let passwordChanges: PasswordChangeLimit
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
        catchUpLimit: Int = 100,
        registrationsPerHour: Int = RegistrationLimit.defaultPerAddressPerHour
    ) {
        self.keepsRoomHistory = keepsRoomHistory
        self.store = store
        self.login = LoginThrottle()
        self.registrations = RegistrationLimit(perAddressPerHour: registrationsPerHour)
        self.passwordChanges = PasswordChangeLimit()
        self.historyOnJoin = historyOnJoin
        self.catchUpLimit = catchUpLimit
    }
}
