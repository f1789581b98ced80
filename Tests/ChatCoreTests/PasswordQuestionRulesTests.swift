import ChatProtocol
import Testing

@testable import ChatCore

/// ``PasswordQuestion``'s counting: wrong passwords and answers that could not be checked are counted apart, each
/// against its own limit. (StoreTests/PasswordQuestionTests runs the dialogue end to end.)
@Suite struct PasswordQuestionRulesTests {
    static func question(maximumWrongAnswers: Int = 3) throws -> PasswordQuestion {
        PasswordQuestion(
            nickname: try Nickname(validating: "Alice"),
            account: Account(nickname: "alice", passwordHash: "x", isBanned: false, lastSeenMessageID: 0),
            maximumWrongAnswers: maximumWrongAnswers
        )
    }

    @Test func theLastAllowedWrongPasswordSaysGoodbyeWithTheCount() throws {
        var question = try Self.question(maximumWrongAnswers: 3)
        #expect(question.answerWasWrong() == .askAgain(error: "Wrong password."))
        #expect(question.answerWasWrong() == .askAgain(error: "Wrong password."))
        #expect(question.answerWasWrong() == .sayGoodbye(error: "Wrong password 3 times; goodbye."))
    }

    @Test func answersNotCheckedAreNotWrongAnswers() throws {
        var question = try Self.question(maximumWrongAnswers: 2)
        for _ in 0..<(PasswordQuestion.maximumUncheckedAnswers - 1) {
            #expect(question.answerWasNotChecked(because: "Busy.") == .askAgain(error: "Busy."))
        }
        #expect(question.wrongAnswers == 0)
        #expect(question.answerWasWrong() == .askAgain(error: "Wrong password."))
        #expect(question.answerWasWrong() == .sayGoodbye(error: "Wrong password 2 times; goodbye."))
    }

    @Test func tooManyAnswersNotCheckedSayGoodbyeWithTheReason() throws {
        var question = try Self.question()
        _ = question.answerWasWrong()
        for _ in 0..<(PasswordQuestion.maximumUncheckedAnswers - 1) {
            _ = question.answerWasNotChecked(because: "Busy.")
        }
        #expect(question.answerWasNotChecked(because: "Busy.") == .sayGoodbye(error: "Busy. Too many tries; goodbye."))
        #expect(question.wrongAnswers == 1)
    }

    @Test func thePromptNamesTheAccountAndTheField() throws {
        let prompt = try Self.question().prompt
        #expect(prompt.text == "The nickname alice is registered. Password:")
        #expect(prompt.field == "password")
    }
}
