import ChatProtocol
import Testing

@testable import ChatCore

/// ``NicknameQuestion``: refused answers are counted, and the last allowed one says goodbye.
@Suite struct NicknameQuestionTests {
    @Test func asksAgainUntilTheLastAttemptThenSaysGoodbye() {
        var question = NicknameQuestion(maximumAttempts: 3)
        #expect(question.refuse(because: "Taken.") == .askAgain(error: "Taken."))
        #expect(question.refuse(because: "Taken.") == .askAgain(error: "Taken."))
        #expect(question.failures == 2)
        #expect(question.refuse(because: "Taken.") == .sayGoodbye(error: "Taken. Too many failed attempts; goodbye."))
    }

    @Test func aSingleAttemptMeansTheFirstRefusalIsTheLast() {
        var question = NicknameQuestion(maximumAttempts: 1)
        #expect(question.refuse(because: "No.") == .sayGoodbye(error: "No. Too many failed attempts; goodbye."))
    }

    @Test func anInvalidCandidateIsQuotedWithoutItsControlCharacters() {
        let problem = NicknameQuestion.invalid("bad\u{7}name", because: .invalidCharacters)
        #expect(problem.hasPrefix("Invalid nickname \""))
        #expect(!problem.contains("\u{7}"))
        #expect(problem.hasSuffix(": \(Nickname.ValidationError.invalidCharacters)."))
    }

    @Test func thePromptNamesTheFieldAndTheLengthLimit() {
        #expect(NicknameQuestion.prompt.field == "nickname")
        #expect(NicknameQuestion.prompt.text.contains("1-\(Nickname.maximumLength)"))
    }
}
