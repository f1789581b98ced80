import ChatProtocol

/// The first question a session asks: which nickname? Counts the refused answers, so a client that never gives a
/// usable one is sent away after `--max-nickname-attempts`.
///
/// Only the rules live here (the prompt, the wording, the attempt limit); ``ChatSession`` asks, looks the nickname
/// up and acts on the ``RefusedAnswer``.
struct NicknameQuestion {
    /// Answers allowed in all, counting the last one.
    let maximumAttempts: Int
    /// Answers refused so far.
    private(set) var failures = 0

    init(maximumAttempts: Int) {
        self.maximumAttempts = maximumAttempts
    }

    /// The question itself, with the field name a client's form can fill in.
    static let prompt = ChatEvent(
        kind: .prompt,
        text: "Choose a nickname (1-\(Nickname.maximumLength) letters, digits, _ - .):",
        field: "nickname"
    )

    /// Why `candidate` is not a nickname, the candidate cleaned so it cannot smuggle control characters back.
    static func invalid(_ candidate: String, because error: Nickname.ValidationError) -> String {
        "Invalid nickname \"\(Sanitizer.clean(candidate))\": \(error)."
    }

    /// Counts one refused answer whose reason is `problem`.
    mutating func refuse(because problem: String) -> RefusedAnswer {
        if self.failures + 1 >= self.maximumAttempts {
            return .sayGoodbye(error: "\(problem) Too many failed attempts; goodbye.")
        }
        self.failures += 1
        return .askAgain(error: problem)
    }
}
