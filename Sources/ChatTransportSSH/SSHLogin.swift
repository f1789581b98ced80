import ChatCore
import Synchronization

/// What one SSH connection's authentication has settled, for the session channel that follows it: who the user
/// is, and the last public key they proved they hold (its signature checked), which `/keys add` can bind.
final class SSHLogin: Sendable {
    private struct State {
        var user: KnownUser?
        var provenKey: AccountKey?
    }

    private let state = Mutex(State())

    /// The user once authentication has succeeded.
    var user: KnownUser? { self.state.withLock { $0.user } }

    /// The last key whose signature checked out, whatever the verdict on it.
    var provenKey: AccountKey? { self.state.withLock { $0.provenKey } }

    /// Remembers a key the client proved it holds.
    func proved(_ key: AccountKey) {
        self.state.withLock { $0.provenKey = key }
    }

    /// Authentication succeeded as `user`.
    func succeeded(as user: KnownUser) {
        self.state.withLock { $0.user = user }
    }
}
