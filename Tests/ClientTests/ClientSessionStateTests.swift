import ChatCore
import ChatProtocol
import ChatTerminal
import Testing

@Suite struct ClientSessionStateTests {
    @Test func startsWithTheAskedNicknameInTheLobby() {
        let state = ClientSessionState(nickname: "alice")
        #expect(state.nickname == "alice")
        #expect(state.room == "#main")
        #expect(state.knownCommands.isEmpty)
    }

    @Test func learnsTheCommandsFromTheWelcome() {
        var state = ClientSessionState(nickname: "alice")
        let welcome = ChatEvent(
            kind: .welcome,
            text: "Welcome to slashchat, alice!",
            to: "alice",
            room: "#main",
            commands: ["help", "history", "register", "password", "roll", "not a name"]
        )
        state.observe(welcome)
        #expect(state.knownCommands == ["help", "history", "register", "password", "roll"])
    }

    @Test func takesNicknameAndRoomFromTheWelcome() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(ChatEvent(kind: .welcome, text: "Welcome to slashchat, Alice!", to: "Alice", room: "#main"))
        #expect(state.nickname == "Alice")
        #expect(state.room == "#main")
    }

    @Test(arguments: ["alice", "ALICE"])
    func followsMyRename(_ oldName: String) {
        var state = ClientSessionState(nickname: "alice")
        state.observe(ChatEvent(kind: .notice, text: "\(oldName) is now known as alice2", room: "#main"))
        #expect(state.nickname == "alice2")
    }

    @Test func learnsSomeoneElsesRenameWithoutChangingMine() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(.notice("bob joined #main"))
        state.observe(ChatEvent(kind: .notice, text: "bob is now known as robert", room: "#main"))
        #expect(state.nickname == "alice")
        #expect(state.knownNicknames.contains("robert"))
        #expect(!state.knownNicknames.contains("bob"))
    }

    @Test func followsMeIntoAnotherRoom() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(ChatEvent(kind: .notice, text: "alice joined #games", room: "#games"))
        #expect(state.room == "#games")
        #expect(!state.knownNicknames.contains("alice"))
    }

    @Test func learnsTheNicknamesOfOthersWhoJoin() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(ChatEvent(kind: .notice, text: "bob joined #main", room: "#main"))
        state.observe(ChatEvent(kind: .notice, text: "carol joined #games", room: "#games"))
        #expect(state.knownNicknames == ["bob", "carol"])
        #expect(state.room == "#main")
    }

    @Test func learnsTheNicknamesOfPeopleWhoSpeak() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(ChatEvent(kind: .message, text: "hi", from: "dave"))
        state.observe(ChatEvent(kind: .action, text: "waves", from: "erin"))
        state.observe(ChatEvent(kind: .privateMessage, text: "psst", from: "frank"))
        #expect(state.knownNicknames.isSuperset(of: ["dave", "erin", "frank"]))
    }

    @Test func learnsNicknamesFromAWhoListing() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(.notice("#main (3): alice, bob (away: lunch), carol"))
        #expect(state.knownNicknames.isSuperset(of: ["bob", "carol"]))
    }

    @Test func learnsCommandNamesFromHelpLines() {
        var state = ClientSessionState(nickname: "alice")
        state.observe(.notice("Commands (the legacy form /name?args/ works too; start a message with // to send a /):"))
        state.observe(.notice("  /fortune               tell a fortune"))
        state.observe(.notice("  /dice [sides]          roll a die"))
        #expect(state.knownCommands.isSuperset(of: ["fortune", "dice"]))
        #expect(!state.knownCommands.contains("name?args"))
    }
}
