import ChatCore

/// The connection's session, handed from one session task to the next: the only way ``SessionPump``'s tasks
/// reach it.
///
/// A `LineSession` is not `Sendable`: it must be used by one task at a time. That holds here because
/// ``SessionPump`` starts a task only while none runs (`isRunning`, read and written on the event loop only),
/// and a task's last touch of the session happens before it hops to the event loop to say it is done; the hop orders
/// that touch before the next task's first.
struct OneTaskAtATimeSession: @unchecked Sendable {
    let value: any LineSession

    init(_ value: any LineSession) {
        self.value = value
    }
}
