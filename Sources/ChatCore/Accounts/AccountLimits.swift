/// The limits that slow down attacks on accounts: password guessing (at login and `/password`), registering
/// nicknames by the hundred, and `/password` used as a guessing oracle. They live in memory beside the hub, apart
/// from the store they guard: a server without a store has no accounts, and these are then never consulted.
public struct AccountLimits: Sendable {
    /// Slows down and serialises password checks after failures.
    public let login: LoginThrottle
    /// Registrations per address.
    public let registrations: RegistrationLimit
    /// `/password` tries per account.
    public let passwordChanges: PasswordChangeLimit

    /// - Parameter registrationsPerHour: how many nicknames one address may register in an hour
    ///   (`--registrations-per-hour`).
    public init(registrationsPerHour: Int = RegistrationLimit.defaultPerAddressPerHour) {
        self.login = LoginThrottle()
        self.registrations = RegistrationLimit(perAddressPerHour: registrationsPerHour)
        self.passwordChanges = PasswordChangeLimit()
    }
}
