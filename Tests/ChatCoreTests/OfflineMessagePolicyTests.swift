import Testing

@testable import ChatCore

/// When a private message to someone offline is kept, and the words its sender reads.
@Suite struct OfflineMessagePolicyTests {
    @Test func keepsAMessageWhileBothLimitsHaveRoom() {
        #expect(OfflineMessagePolicy.refusal(to: "bob", waiting: (all: 0, fromSender: 0)) == nil)
        #expect(OfflineMessagePolicy.refusal(to: "bob", waiting: (all: 499, fromSender: 49)) == nil)
    }

    @Test func refusesOnceTheRecipientHasTheMostFromEveryone() {
        #expect(
            OfflineMessagePolicy.refusal(to: "bob", waiting: (all: 500, fromSender: 60))
                == "bob already has 500 private messages waiting; yours was not kept. "
                + "Try again once they have logged in."
        )
    }

    @Test func refusesOnceTheSenderHasTheMostWaitingForOneRecipient() {
        #expect(
            OfflineMessagePolicy.refusal(to: "bob", waiting: (all: 120, fromSender: 50))
                == "You already have 50 private messages waiting for bob; yours was not kept. "
                + "Try again once they have logged in."
        )
    }

    @Test func theHubPublishesTheSameLimits() {
        #expect(ChatHub.maximumWaitingPrivateMessages == 500)
        #expect(ChatHub.maximumWaitingPrivateMessagesPerSender == 50)
    }

    @Test func theTextsNameTheRecipientAndCleanWhatTheSenderTyped() {
        #expect(!OfflineMessagePolicy.nobodyOnline(called: "bo\u{1B}[2Jb").contains("\u{1B}"))
        #expect(
            OfflineMessagePolicy.nobodyOnline(called: "bob")
                == "No one called bob is online; /who lists your room, /rooms the others."
        )
        #expect(
            OfflineMessagePolicy.kept(for: "bob")
                == "bob is offline; your message will be delivered when they next log in."
        )
    }
}
