/// What a session does after an answer to one of its questions (the nickname, the password) was refused: ask
/// again, or, once the question's limit is reached, say goodbye. Either way the client is told `error`.
enum RefusedAnswer: Equatable {
    /// Tell the client `error` and ask again.
    case askAgain(error: String)
    /// Tell the client `error` and close: that was the last attempt.
    case sayGoodbye(error: String)
}
