import ChatTerminal
import Synchronization

/// The client's memory across connections (nickname, room, what Tab can complete), shared between the key reader,
/// the connection loop and completion, which run in tasks of their own.
///
/// It is `Sendable` without `@unchecked`: every field is a `Mutex` or an `Atomic`, so each read or change is one
/// locked or atomic step and no task sees another's half-made change.
final class SharedClientSession: Sendable {
    let state: Mutex<ClientSessionState>
    /// Whether any connection ever got as far as the welcome: before that, failing to connect is fatal.
    let everConnected = Atomic<Bool>(false)

    init(_ state: ClientSessionState) {
        self.state = Mutex(state)
    }
}
