import ChatCore
import ChatProtocol
import Testing

@Suite struct NicknameTests {
    // MARK: Nickname

    @Test(arguments: [
        "alice",
        "Bob",
        "a",
        "Z",
        "7",
        "_",
        "-",
        ".",
        "bob_the-builder.2",
        "ALLCAPS",
        String(repeating: "x", count: 32),
        "abcdefghijklmnopqrstuvwxyz012345",
        "servers",
        "server2",
        "the.server",
    ])
    func acceptsValidNicknamesExactlyAsTyped(candidate: String) throws {
        let nickname = try Nickname(validating: candidate)
        #expect(nickname.name == candidate)
        #expect(nickname.description == candidate)
        #expect(nickname.key == candidate.lowercased())
    }

    @Test(arguments: [
        ("", Nickname.ValidationError.empty),
        (String(repeating: "x", count: 33), .tooLong),
        (String(repeating: "ab", count: 20), .tooLong),
        ("bob smith", .invalidCharacters),
        (" bob", .invalidCharacters),
        ("bob ", .invalidCharacters),
        ("bob\t", .invalidCharacters),
        ("bob\n", .invalidCharacters),
        ("bo\rb", .invalidCharacters),
        ("\u{00}bob", .invalidCharacters),
        ("bob\u{07}", .invalidCharacters),
        ("\u{1B}[31mbob", .invalidCharacters),
        ("bob\u{1B}", .invalidCharacters),
        ("bob\u{7F}", .invalidCharacters),
        ("bob\u{9B}", .invalidCharacters),
        ("josé", .invalidCharacters),
        ("jose\u{301}", .invalidCharacters),
        ("Ålice", .invalidCharacters),
        ("аlice", .invalidCharacters),  // Cyrillic а
        ("bob😀", .invalidCharacters),
        ("日本", .invalidCharacters),
        ("ｂｏｂ", .invalidCharacters),  // full-width letters
        ("bob!", .invalidCharacters),
        ("#bob", .invalidCharacters),
        ("bob@host", .invalidCharacters),
        ("a/b", .invalidCharacters),
        ("server", .reserved),
        ("Server", .reserved),
        ("SERVER", .reserved),
    ])
    func rejectsInvalidNicknames(candidate: String, expected: Nickname.ValidationError) {
        #expect(throws: expected) {
            try Nickname(validating: candidate)
        }
    }

    @Test func rejectsThirtyThreeCharactersWithASpaceAsInvalidCharacters() {
        let candidate = String(repeating: "x", count: 30) + " yz"
        #expect(throws: Nickname.ValidationError.invalidCharacters) {
            try Nickname(validating: candidate)
        }
    }

    @Test func maximumLengthIsThirtyTwo() {
        #expect(Nickname.maximumLength == 32)
    }

    @Test(arguments: [
        (Nickname.ValidationError.empty, "a nickname cannot be empty"),
        (.tooLong, "a nickname has at most 32 characters"),
        (.reserved, "that name is reserved"),
    ])
    func validationErrorsDescribeThemselves(error: Nickname.ValidationError, expected: String) {
        #expect(error.description == expected)
    }

    @Test func invalidCharactersErrorMentionsSpaces() {
        #expect(Nickname.ValidationError.invalidCharacters.description.contains("no spaces"))
    }

    @Test(arguments: [
        ("alice", "ALICE"),
        ("Alice", "aLiCe"),
        ("bob_2", "BOB_2"),
        ("x.y-z", "X.Y-Z"),
    ])
    func equalityAndHashingIgnoreCase(first: String, second: String) throws {
        let a = try Nickname(validating: first)
        let b = try Nickname(validating: second)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.key == b.key)
        #expect(Set([a, b]).count == 1)
        // Display keeps the case each user chose.
        #expect(a.name == first)
        #expect(b.name == second)
    }

    @Test func differentNicknamesAreNotEqual() throws {
        let alice = try Nickname(validating: "alice")
        let alicia = try Nickname(validating: "alicia")
        #expect(alice != alicia)
        #expect(Set([alice, alicia]).count == 2)
    }

    @Test func nicknameFindsItsEntryInADictionaryWhateverTheCase() throws {
        let table = [try Nickname(validating: "Carol"): 1]
        #expect(table[try Nickname(validating: "cAROL")] == 1)
    }

    // MARK: RoomName

    @Test(arguments: [
        ("games", "#games"),
        ("#games", "#games"),
        ("Games", "#Games"),
        ("#main", "#main"),
        ("a", "#a"),
        ("#room_1.two-3", "#room_1.two-3"),
        (String(repeating: "r", count: 32), "#" + String(repeating: "r", count: 32)),
        ("server", "#server"),
    ])
    func roomNamesGetALeadingHash(candidate: String, expected: String) throws {
        let room = try RoomName(validating: candidate)
        #expect(room.name == expected)
        #expect(room.description == expected)
        #expect(room.key == expected.lowercased())
    }

    @Test(arguments: [
        ("#Games", "#games"),
        ("Games", "#games"),
        ("GAMES", "games"),
        ("#MAIN", "main"),
    ])
    func roomNamesCompareCaseInsensitively(first: String, second: String) throws {
        let a = try RoomName(validating: first)
        let b = try RoomName(validating: second)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
    }

    @Test func differentRoomNamesAreNotEqual() throws {
        #expect(try RoomName(validating: "games") != RoomName(validating: "gamers"))
    }

    @Test func lobbyIsMain() throws {
        #expect(RoomName.lobby.name == "#main")
        #expect(RoomName.lobby == (try RoomName(validating: "Main")))
    }

    @Test(arguments: [
        "",
        "#",
        "##games",
        "#" + String(repeating: "r", count: 33),
        String(repeating: "r", count: 33),
        "my room",
        "#my room",
        "games\t",
        "ga\u{1B}mes",
        "ga\u{07}mes",
        "café",
        "#日本",
        "room!",
        "room#",
        " #games",
    ])
    func rejectsInvalidRoomNames(candidate: String) {
        #expect(throws: RoomName.ValidationError.self) {
            try RoomName(validating: candidate)
        }
    }

    @Test func roomValidationErrorShowsAnExample() {
        let error = #expect(throws: RoomName.ValidationError.self) {
            try RoomName(validating: "no spaces allowed")
        }
        #expect(error?.description.contains("like #games") == true)
    }
}
