/// One token message a soak client sent, where it went, and whether every reader there is owed it.
struct SentMessage: Sendable, Equatable {
    /// Where the server must deliver it.
    enum Destination: Hashable, Sendable {
        /// Everyone in this room (its key: lowercased, with the `#`), as the sender's room was when the server
        /// read the line; the soak knows it because a client's lines are handled in the order it sent them.
        case room(String)
        /// One reader (its nickname, lowercased): a private message.
        case reader(String)
    }

    var sender: Int
    var sequence: Int
    var destination: Destination
    /// False only for lines still in flight when their sender reset the connection: the server may or may not
    /// have read them, so they may arrive (in order) but need not.
    var owed = true
}
