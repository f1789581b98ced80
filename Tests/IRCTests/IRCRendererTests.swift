import ChatProtocol
import Testing

@testable import ChatTransportIRC

/// The hub's events as one IRC client sees them.
struct IRCRendererTests {
    private let renderer = IRCRenderer(nickname: "alice")

    private func lines(_ event: ChatEvent, with renderer: IRCRenderer? = nil) -> [String] {
        (renderer ?? self.renderer).render(event).map(\.line)
    }

    @Test func roomLinesAndActionsArePrivmsgsFromTheirSender() {
        let message = ChatEvent(kind: .message, text: "hi there", from: "bob", room: "#main", time: 0)
        #expect(self.lines(message) == [":bob!bob@slashchat PRIVMSG #main :hi there"])
        let action = ChatEvent(kind: .action, text: "waves", from: "bob", room: "#main")
        #expect(self.lines(action) == [":bob!bob@slashchat PRIVMSG #main :\u{01}ACTION waves\u{01}"])
        // Its own lines only with echo-message.
        let own = ChatEvent(kind: .message, text: "me", from: "alice", room: "#main")
        #expect(self.lines(own).isEmpty)
        var echoing = self.renderer
        echoing.echoesOwnMessages = true
        #expect(self.lines(own, with: echoing) == [":alice!alice@slashchat PRIVMSG #main me"])
    }

    @Test func serverTimeTagsEveryMessage() {
        var timed = self.renderer
        timed.sendsTime = true
        let message = ChatEvent(kind: .message, text: "hi", from: "bob", room: "#main", time: 1_764_936_000_123)
        #expect(
            self.lines(message, with: timed) == ["@time=2025-12-05T12:00:00.123Z :bob!bob@slashchat PRIVMSG #main hi"]
        )
    }

    @Test func historyIsPrivmsgsWithTimeOrMarkedNotices() {
        var old = ChatEvent(kind: .message, text: "earlier", from: "bob", room: "#main", time: 1_764_936_000_000)
        old.history = true
        #expect(self.lines(old) == [":slashchat NOTICE #main :[History] <bob> earlier"])
        var timed = self.renderer
        timed.sendsTime = true
        #expect(
            self.lines(old, with: timed) == ["@time=2025-12-05T12:00:00.000Z :bob!bob@slashchat PRIVMSG #main earlier"]
        )
    }

    @Test func noticesAreRenderedFromWhatHappenedNotFromTheirWords() {
        #expect(self.lines(.joined("bob", room: "#main")) == [":bob!bob@slashchat JOIN #main"])
        #expect(self.lines(.left("bob", room: "#main", reason: "quit")) == [":bob!bob@slashchat QUIT quit"])
        #expect(
            self.lines(.moved("bob", from: "#main", to: "#side"))
                == [":bob!bob@slashchat PART #main :moved to #side"]
        )
        #expect(self.lines(.renamed("bob", to: "robert", room: "#main")) == [":bob!bob@slashchat NICK robert"])
        #expect(self.lines(.announcement("restart at 5")) == [":slashchat NOTICE alice :server: restart at 5"])
    }

    @Test func blocksArriveAsNoticesToTheRoomLineByLine() {
        let block = ChatEvent(
            kind: .block,
            text: "bob ran /cowsay moo",
            from: "bob",
            room: "#main",
            command: "cowsay",
            lines: [" _____", "< moo >", " -----"]
        )
        #expect(
            self.lines(block) == [
                ":slashchat NOTICE #main :bob ran /cowsay moo", ":slashchat NOTICE #main : _____",
                ":slashchat NOTICE #main :< moo >", ":slashchat NOTICE #main : -----",
            ]
        )
    }

    @Test func answersAndErrorsAreNoticesToTheUser() {
        #expect(
            self.lines(.notice("You are marked as away: lunch")) == [
                ":slashchat NOTICE alice :You are marked as away: lunch"
            ]
        )
        #expect(
            self.lines(.error("No one called zed is online.")) == [
                ":slashchat NOTICE alice :! No one called zed is online."
            ]
        )
        let pm = ChatEvent(kind: .privateMessage, text: "psst", from: "bob")
        #expect(self.lines(pm) == [":bob!bob@slashchat PRIVMSG alice psst"])
        #expect(self.lines(ChatEvent(kind: .welcome, text: "Welcome")).isEmpty)
    }
}
