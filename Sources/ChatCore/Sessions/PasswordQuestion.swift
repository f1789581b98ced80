import ChatProtocol

/// The question a registered nickname asks before it can be used: its password. Counts two kinds of failed
/// answers apart: a wrong password (someone may be guessing; `--max-password-attempts` of them close the
/// connection) and an answer that could not be checked at all (another check running, the hash queue full), which
/// is not the client's fault and has a larger limit of its own.
///
/// Only the rules live here; ``ChatSession`` runs the check and acts on the ``RefusedAnswer``.
struct PasswordQuestion {
    /// Answers that could not be checked before the connection is closed.
    static let maximumUncheckedAnswers = 10

    /// The nickname as the client typed it (the account's may differ in case).
    let nickname: Nickname
    let account: Account
    /// Wrong passwords allowed in all, counting the last one.
    let maximumWrongAnswers: Int
    private(set) var wrongAnswers = 0
    private(set) var answersNotChecked = 0

    init(nickname: Nickname, account: Account, maximumWrongAnswers: Int) {
        self.nickname = nickname
        self.account = account
        self.maximumWrongAnswers = maximumWrongAnswers
    }

    /// The question itself, with the field name a client hides its input for.
    var prompt: ChatEvent {
        ChatEvent(
            kind: .prompt,
            text: "The nickname \(self.account.nickname) is registered. Password:",
            field: "password"
        )
    }

    /// Counts a wrong password.
    mutating func answerWasWrong() -> RefusedAnswer {
        if self.wrongAnswers + 1 >= self.maximumWrongAnswers {
            return .sayGoodbye(error: "Wrong password \(self.wrongAnswers + 1) times; goodbye.")
        }
        self.wrongAnswers += 1
        return .askAgain(error: "Wrong password.")
    }

    /// Counts an answer that could not be checked, for `reason` (which the client is told).
    mutating func answerWasNotChecked(because reason: String) -> RefusedAnswer {
        if self.answersNotChecked + 1 >= Self.maximumUncheckedAnswers {
            return .sayGoodbye(error: "\(reason) Too many tries; goodbye.")
        }
        self.answersNotChecked += 1
        return .askAgain(error: reason)
    }
}
