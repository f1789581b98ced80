import ChatCore
import ChatProtocol
import TerminalClient
import Testing

@Suite struct NicknamePromptTrackerTests {
    private static let question = ChatEvent(
        kind: .prompt,
        text: "Choose a nickname (1-32 letters, digits, _ - .):",
        field: "nickname"
    )

    @Test func hidesTheFirstNicknameQuestionAndHoldsInputUntilTheWelcome() {
        var tracker = NicknamePromptTracker()
        #expect(tracker.classify(.notice("Welcome to slashchat, where messages are also commands!")) == .show)
        #expect(tracker.classify(Self.question) == .hide)
        #expect(!tracker.isReadyForInput)
        #expect(tracker.classify(ChatEvent(kind: .mode, text: "json")) == .show)
        #expect(!tracker.isReadyForInput)
        #expect(tracker.classify(ChatEvent(kind: .welcome, text: "Welcome to slashchat, alice!", to: "alice")) == .show)
        #expect(tracker.isReadyForInput)
    }

    @Test func showsTheRefusalAndReportsTheQuestionAskedAgain() {
        var tracker = NicknamePromptTracker()
        #expect(tracker.classify(Self.question) == .hide)
        #expect(tracker.classify(.error("The nickname alice is taken; choose another nickname.")) == .show)
        #expect(!tracker.isReadyForInput)
        #expect(tracker.classify(Self.question) == .askedAgain)
        #expect(tracker.isReadyForInput, "the person answers the second question")
        #expect(tracker.classify(Self.question) == .askedAgain)
    }

    @Test func aPasswordQuestionIsShownAndLetsThePersonAnswer() {
        var tracker = NicknamePromptTracker()
        #expect(tracker.classify(Self.question) == .hide)
        let password = ChatEvent(kind: .prompt, text: "The nickname alice is registered. Password:", field: "password")
        #expect(tracker.classify(password) == .show)
        #expect(tracker.isReadyForInput)
    }

    @Test func anotherPromptIsNotANicknameQuestion() {
        #expect(!NicknamePromptTracker.isNicknameQuestion(.notice("Choose a nickname")))
        let password = ChatEvent(kind: .prompt, text: "Password:", field: "password")
        #expect(!NicknamePromptTracker.isNicknameQuestion(password))
        #expect(NicknamePromptTracker.isNicknameQuestion(Self.question))
    }
}
