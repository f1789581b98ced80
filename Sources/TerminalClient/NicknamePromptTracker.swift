import ChatProtocol

/// Follows the server's questions while a client joins, deciding what the person sees and when typed lines may go.
///
/// The client answers the server's first nickname question itself, with the nickname from its command line, so
/// that question is hidden. The `! ` answer to it (taken, reserved, invalid) is shown. A nickname question asked
/// again after such a refusal is one the client did not answer: it is shown, for the person to answer (or, for a
/// script, the sign to give up). A password question is always the person's to answer.
///
/// Until the server is ready for them (the welcome, or a question for the person), typed lines are held back, so
/// a chat line can never be taken for a nickname or a password.
public struct NicknamePromptTracker: Sendable, Equatable {
    /// What to do with one event.
    public enum Verdict: Sendable, Equatable {
        /// Show it.
        case show
        /// The nickname question the client answered itself: do not show it.
        case hide
        /// The server asks for a nickname again: the one the client sent was refused.
        case askedAgain
    }

    /// The plain-mode text of the nickname question. The server asks before it has read `/mode json`, so the
    /// first question arrives as the plain line `* Choose a nickname (…):`, without a `field` to go by.
    public static let plainNicknameQuestion = "Choose a nickname"

    /// Nickname questions seen so far.
    public private(set) var nicknameQuestions = 0
    /// True once typed lines may be sent: the client joined, or the server asked the person something.
    public private(set) var isReadyForInput = false

    public init() {}

    /// True for a question asking for a nickname, in either wire format.
    public static func isNicknameQuestion(_ event: ChatEvent) -> Bool {
        event.kind == .prompt && event.field == "nickname"
    }

    /// Looks at the next event from the server.
    public mutating func classify(_ event: ChatEvent) -> Verdict {
        switch event.kind {
        case .welcome:
            self.isReadyForInput = true
            return .show
        case .prompt where Self.isNicknameQuestion(event):
            self.nicknameQuestions += 1
            guard self.nicknameQuestions > 1 else { return .hide }
            self.isReadyForInput = true
            return .askedAgain
        case .prompt:
            // A password, or whatever a later server asks: the person answers it.
            self.isReadyForInput = true
            return .show
        default:
            return .show
        }
    }
}
