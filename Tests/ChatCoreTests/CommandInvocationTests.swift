import ChatCore
import ChatProtocol
import Testing

@Suite struct CommandInvocationTests {
    /// One row of the parsing table: the line typed, and the invocation it must give.
    struct Case: Sendable, CustomTestStringConvertible {
        let line: String
        let name: String
        let arguments: String
        let words: [String]
        let isLegacyForm: Bool

        var testDescription: String { self.line.debugDescription }
    }

    static let cases: [Case] = [
        Case(line: "/who", name: "who", arguments: "", words: [], isLegacyForm: false),
        Case(line: "/?", name: "?", arguments: "", words: [], isLegacyForm: false),
        Case(line: "/? cowsay", name: "?", arguments: "cowsay", words: ["cowsay"], isLegacyForm: false),
        Case(line: "/WHO", name: "who", arguments: "", words: [], isLegacyForm: false),
        Case(line: "/Msg Bob Hi", name: "msg", arguments: "Bob Hi", words: ["Bob", "Hi"], isLegacyForm: false),
        Case(
            line: "/msg bob hi there",
            name: "msg",
            arguments: "bob hi there",
            words: ["bob", "hi", "there"],
            isLegacyForm: false
        ),
        Case(line: "/msg   bob   hi  ", name: "msg", arguments: "bob   hi", words: ["bob", "hi"], isLegacyForm: false),
        Case(line: "/msg\tbob\thi", name: "msg", arguments: "bob\thi", words: ["bob", "hi"], isLegacyForm: false),
        Case(line: "/me \t waves \t", name: "me", arguments: "waves", words: ["waves"], isLegacyForm: false),
        Case(line: "/who   ", name: "who", arguments: "", words: [], isLegacyForm: false),
        Case(line: "/who/", name: "who", arguments: "", words: [], isLegacyForm: true),
        Case(line: "/train/", name: "train", arguments: "", words: [], isLegacyForm: true),
        Case(line: "/who?", name: "who", arguments: "", words: [], isLegacyForm: true),
        Case(line: "/msg?bob hi/", name: "msg", arguments: "bob hi", words: ["bob", "hi"], isLegacyForm: true),
        Case(
            line: "/cowsay?Hello World/",
            name: "cowsay",
            arguments: "Hello World",
            words: ["Hello", "World"],
            isLegacyForm: true
        ),
        Case(line: "/COWSAY?moo/", name: "cowsay", arguments: "moo", words: ["moo"], isLegacyForm: true),
        Case(
            line: "/cowsay?no closing slash",
            name: "cowsay",
            arguments: "no closing slash",
            words: ["no", "closing", "slash"],
            isLegacyForm: true
        ),
        Case(
            line: "/echo?a path/to/",
            name: "echo",
            arguments: "a path/to",
            words: ["a", "path/to"],
            isLegacyForm: true
        ),
        Case(
            line: "/echo?ends with two//",
            name: "echo",
            arguments: "ends with two/",
            words: ["ends", "with", "two/"],
            isLegacyForm: true
        ),
        Case(line: "/cowsay? padded /", name: "cowsay", arguments: "padded", words: ["padded"], isLegacyForm: true),
        Case(line: "/say hi/", name: "say", arguments: "hi/", words: ["hi/"], isLegacyForm: false),
        Case(line: "/x", name: "x", arguments: "", words: [], isLegacyForm: false),
    ]

    @Test(arguments: CommandInvocationTests.cases)
    func parsesCommandLines(testCase: Case) throws {
        let invocation = try #require(CommandInvocation(parsing: testCase.line))
        #expect(invocation.name == testCase.name)
        #expect(invocation.arguments == testCase.arguments)
        #expect(invocation.words == testCase.words)
        #expect(invocation.isLegacyForm == testCase.isLegacyForm)
        #expect(ParsedLine(testCase.line) == .command(invocation))
    }

    @Test(arguments: ["/", "/ x", "/ ", "/\tx", "/?x/", "//x"])
    func invocationParsingFailsWithoutACommandName(line: String) {
        #expect(CommandInvocation(parsing: line) == nil)
    }

    @Test(arguments: ["who", "", " /who", "hello /who", "\t/who"])
    func invocationParsingFailsWithoutALeadingSlash(line: String) {
        #expect(CommandInvocation(parsing: line) == nil)
    }

    @Test(arguments: ["/", "/ x", "/ ", "/\tx", "/  leading spaces", "/?x/"])
    func loneSlashIsMissingCommandName(line: String) {
        #expect(ParsedLine(line) == .missingCommandName)
    }

    @Test(arguments: [
        ("//text", "/text"),
        ("//", "/"),
        ("///", "//"),
        ("// spaced", "/ spaced"),
        ("//who", "/who"),
        ("//cowsay/", "/cowsay/"),
    ])
    func doubleSlashSendsALiteralSlash(line: String, expected: String) {
        #expect(ParsedLine(line) == .literal(expected))
    }

    @Test(arguments: ["hello", "", "  padded  ", "\tindented", "not /a command", "who/", "😀 /me"])
    func plainTextIsAMessageAsTyped(line: String) {
        #expect(ParsedLine(line) == .message(line))
    }

    @Test(arguments: [
        ("bob hi there", "bob", "hi there"),
        ("bob", "bob", ""),
        ("bob\thi", "bob", "hi"),
        ("bob \t  hi  there", "bob", "hi  there"),
        ("bob\t\tx", "bob", "x"),
    ])
    func splitFirstWordSeparatesTheFirstWordFromTheRestAsTyped(arguments: String, first: String, rest: String) throws {
        let invocation = CommandInvocation(name: "msg", arguments: arguments)
        let split = try #require(invocation.splitFirstWord())
        #expect(split.first == first)
        #expect(split.rest == rest)
    }

    @Test func splitFirstWordOfParsedMsgGivesRecipientAndText() throws {
        let invocation = try #require(CommandInvocation(parsing: "/msg bob hi there"))
        let split = try #require(invocation.splitFirstWord())
        #expect(split.first == "bob")
        #expect(split.rest == "hi there")
    }

    @Test func splitFirstWordIsNilWithoutArguments() throws {
        #expect(CommandInvocation(name: "msg").splitFirstWord() == nil)
        let parsed = try #require(CommandInvocation(parsing: "/msg   "))
        #expect(parsed.splitFirstWord() == nil)
    }

    @Test func directInitialiserLowerCasesTheNameOnly() {
        let invocation = CommandInvocation(name: "CowSay", arguments: "Hello World", isLegacyForm: true)
        #expect(invocation.name == "cowsay")
        #expect(invocation.arguments == "Hello World")
        #expect(invocation.isLegacyForm)
        #expect(invocation == CommandInvocation(name: "cowsay", arguments: "Hello World", isLegacyForm: true))
        #expect(invocation != CommandInvocation(name: "cowsay", arguments: "Hello World", isLegacyForm: false))
    }

    @Test func directInitialiserDefaultsToNoArgumentsAndModernForm() {
        let invocation = CommandInvocation(name: "who")
        #expect(invocation.arguments == "")
        #expect(invocation.words == [])
        #expect(!invocation.isLegacyForm)
    }

    @Test(arguments: [
        ("/cowsay?Hello World/ ", "Hello World"),
        ("/cowsay?Hello World/\t", "Hello World"),
        ("/msg?bob hi/   ", "bob hi"),
    ])
    func legacyClosingSlashIsRemovedEvenBeforeTrailingSpaces(line: String, arguments: String) throws {
        let invocation = try #require(CommandInvocation(parsing: line))
        #expect(invocation.isLegacyForm)
        #expect(invocation.arguments == arguments)
    }

    @Test(arguments: ["/who/ ", "/train/\t", "/who?  "])
    func legacyFormWithoutArgumentsToleratesTrailingSpaces(line: String) throws {
        let invocation = try #require(CommandInvocation(parsing: line))
        #expect(invocation.isLegacyForm)
        #expect(invocation.arguments == "")
    }

    @Test func legacyAndModernFormsGiveTheSameNameAndArguments() throws {
        let legacy = try #require(CommandInvocation(parsing: "/msg?bob hi/"))
        let modern = try #require(CommandInvocation(parsing: "/msg bob hi"))
        #expect(legacy.name == modern.name)
        #expect(legacy.arguments == modern.arguments)
        #expect(legacy.words == modern.words)
        #expect(legacy.isLegacyForm != modern.isLegacyForm)
    }

    @Test(
        arguments: [
            ("/nick bob", "bob"),
            ("/msg bob hi \u{1B}[31mthere", "bob"),
            ("/nick?bob/", "bob"),
            ("/ignore", nil),
        ] as [(String, String?)]
    )
    func givesACleanNameArgumentAsTyped(line: String, expected: String?) throws {
        let invocation = try #require(CommandInvocation(parsing: Sanitizer.markingRemovals(line)))
        #expect(try invocation.nameArgument() == expected)
    }

    @Test(arguments: ["/nick evil\u{1B}[2Jname", "/msg bo\u{07}b hi", "/join \u{202E}room", "/nick?b\u{7F}ob/"])
    func refusesANameArgumentTheSanitizerChanged(line: String) throws {
        let invocation = try #require(CommandInvocation(parsing: Sanitizer.markingRemovals(line)))
        #expect(throws: CommandError.self) { try invocation.nameArgument() }
        // What the command sees of its arguments is clean either way.
        #expect(!Sanitizer.containsControl(invocation.arguments))
        #expect(!Sanitizer.containsMarker(invocation.arguments))
    }

    @Test func keepsMarkersOutOfMessages() {
        let marked = Sanitizer.markingRemovals("hi \u{1B}[1m/who/ there")
        let (text, commands) = EmbeddedCommands.extract(from: marked) { $0 == "who" }
        #expect(text == "hi  there")
        #expect(commands.map(\.name) == ["who"])
        #expect(EmbeddedCommands.extract(from: Sanitizer.markingRemovals("a\u{07}b")) { _ in true }.text == "ab")
    }

    @Test(arguments: ["/\u{1B}[2J", "/\u{07}", "/\u{1B}]0;x\u{07} rest"])
    func aCommandNameOfNothingButRemovedCharactersIsNoName(line: String) {
        #expect(ParsedLine(Sanitizer.markingRemovals(line)) == .missingCommandName)
    }
}
