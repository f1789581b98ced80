/// How a connection pump opens its session: a door that knows nothing of the user asks for a nickname; a door that
/// authenticated the user already (an SSH login) joins them as that user, past the question.
public enum SessionOpening: Sendable {
    /// Greet and ask for a nickname (plain TCP, TLS, the web door).
    case askNickname
    /// Join as the user the door has authenticated. A name that is not a valid nickname, or one taken meanwhile,
    /// falls back to asking, as on TCP.
    case knownUser(KnownUser)
}

/// A user as a door that authenticates them itself (SSH) hands them to the session.
public struct KnownUser: Sendable, Equatable {
    /// The name they came as (SSH's user name): the answer to the nickname question, not yet checked.
    public let name: String
    /// True when the door checked that they own the registered nickname `name` (its password, or a key bound to
    /// it): the session logs them in without asking.
    public let ownsAccount: Bool
    /// The public key they logged in with, if any: `/register` binds it to the new account.
    public let key: AccountKey?

    public init(name: String, ownsAccount: Bool, key: AccountKey?) {
        self.name = name
        self.ownsAccount = ownsAccount
        self.key = key
    }
}
