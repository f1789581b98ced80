import ChatCore
import ChatProtocol
import Foundation
import NIOCore
import Testing

@Suite struct ChatEventTests {
    /// A labelled event, so parameterised test cases read well in the output.
    struct Sample: Sendable, CustomTestStringConvertible {
        let label: String
        let event: ChatEvent

        var testDescription: String { self.label }
    }

    // MARK: Plain lines

    @Test(arguments: [
        (ChatEvent(kind: .message, text: "hello", from: "alice"), ["<alice> hello"]),
        (ChatEvent(kind: .message, text: "hello"), ["<?> hello"]),
        (ChatEvent(kind: .privateMessage, text: "hi", from: "alice"), ["[PM from alice] hi"]),
        (ChatEvent(kind: .privateMessage, text: "hi", from: "alice", to: "bob"), ["[PM to bob] hi"]),
        (ChatEvent(kind: .privateMessage, text: "hi"), ["[PM from ?] hi"]),
        (ChatEvent(kind: .action, text: "waves", from: "alice"), ["* alice waves"]),
        (ChatEvent(kind: .notice, text: "bob joined #main"), ["* bob joined #main"]),
        (ChatEvent.notice("plain notice"), ["* plain notice"]),
        (ChatEvent(kind: .prompt, text: "Choose a nickname:", field: "nickname"), ["* Choose a nickname:"]),
        (ChatEvent(kind: .welcome, text: "Welcome, bob!", to: "bob"), ["* Welcome, bob!"]),
        (ChatEvent(kind: .mode, text: "plain"), ["* plain"]),
        (ChatEvent(kind: .error, text: "no such command"), ["! no such command"]),
        (ChatEvent.error("bad"), ["! bad"]),
        (
            ChatEvent(
                kind: .block,
                text: "alice ran /cowsay",
                command: "cowsay",
                lines: [" _____", "< moo >", "", "  \\"]
            ),
            ["* alice ran /cowsay", " _____", "< moo >", "", "  \\"]
        ),
        (ChatEvent(kind: .block, text: "alice ran /nothing", command: "nothing"), ["* alice ran /nothing"]),
        (ChatEvent(kind: .block, text: "empty", lines: []), ["* empty"]),
    ])
    func rendersPlainLinesForEachKind(event: ChatEvent, expected: [String]) {
        #expect(event.plainLines == expected)
    }

    @Test func factoryMethodsBuildNoticeAndErrorEvents() {
        #expect(ChatEvent.notice("n") == ChatEvent(kind: .notice, text: "n"))
        #expect(ChatEvent.error("e") == ChatEvent(kind: .error, text: "e"))
    }

    @Test func plainEncodingTerminatesEveryLineWithNewline() {
        let event = ChatEvent(kind: .block, text: "bob ran /train", command: "train", lines: ["choo", "  choo"])
        let bytes = WireFormat.plain.encode(event)
        #expect(String(buffer: bytes) == "* bob ran /train\nchoo\n  choo\n")
    }

    @Test func plainEncodingOfAMessageIsOneLine() {
        let bytes = WireFormat.plain.encode(ChatEvent(kind: .message, text: "hi", from: "bob"))
        #expect(String(buffer: bytes) == "<bob> hi\n")
    }

    // MARK: JSON

    static let samples: [Sample] = [
        Sample(label: "message", event: ChatEvent(kind: .message, text: "hello", from: "alice", room: "#main")),
        Sample(
            label: "message with every field",
            event: ChatEvent(
                kind: .message,
                text: "hi",
                from: "alice",
                to: "bob",
                room: "#games",
                command: "x",
                lines: ["a", "b"],
                field: "f",
                time: 1_700_000_000_123
            )
        ),
        Sample(label: "pm", event: ChatEvent(kind: .privateMessage, text: "psst", from: "alice", to: "bob", time: 1)),
        Sample(label: "action", event: ChatEvent(kind: .action, text: "waves", from: "alice")),
        Sample(label: "notice", event: .notice("bob joined #main")),
        Sample(label: "error", event: .error("no such command")),
        Sample(label: "prompt", event: ChatEvent(kind: .prompt, text: "Nickname?", field: "nickname")),
        Sample(label: "welcome", event: ChatEvent(kind: .welcome, text: "Welcome", to: "bob", room: "#main")),
        Sample(label: "mode", event: ChatEvent(kind: .mode, text: "json")),
        Sample(
            label: "block",
            event: ChatEvent(kind: .block, text: "alice ran /cowsay", command: "cowsay", lines: ["< moo >", "", " \\"])
        ),
        Sample(
            label: "newlines and quotes",
            event: ChatEvent(kind: .message, text: "line one\nline \"two\"\r\n\tend \\ /", from: "a\"b")
        ),
        Sample(label: "unicode", event: ChatEvent(kind: .message, text: "café 😀 \u{2028} \u{FFFD}", from: "z")),
        Sample(label: "empty text", event: ChatEvent(kind: .notice, text: "")),
    ]

    @Test(arguments: ChatEventTests.samples)
    func jsonEncodingRoundTrips(sample: Sample) throws {
        let text = String(buffer: WireFormat.json.encode(sample.event))
        #expect(try WireFormat.decodeJSON(text) == sample.event)
        #expect(try WireFormat.decodeJSON(text.dropLast()) == sample.event)
    }

    @Test(arguments: ChatEventTests.samples)
    func jsonEncodingIsOneLineEndingInNewline(sample: Sample) {
        let text = String(buffer: WireFormat.json.encode(sample.event))
        #expect(text.hasSuffix("\n"))
        #expect(text.utf8.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(!text.utf8.contains(UInt8(ascii: "\r")))
        #expect(text.first == "{")
    }

    @Test func jsonUsesTheKeyTypeForTheKind() throws {
        let event = ChatEvent(kind: .privateMessage, text: "psst", from: "alice")
        let object = try self.jsonObject(WireFormat.json.encode(event))
        #expect(object["type"] as? String == "pm")
        #expect(object["kind"] == nil)
        #expect(object["text"] as? String == "psst")
        #expect(object["from"] as? String == "alice")
    }

    @Test func jsonOmitsFieldsThatAreNotSet() throws {
        let object = try self.jsonObject(WireFormat.json.encode(.notice("hi")))
        #expect(Set(object.keys) == ["type", "text"])
        #expect(object["type"] as? String == "notice")
    }

    @Test func jsonKeepsNewlinesAndQuotesInsideTheText() throws {
        let event = ChatEvent(kind: .message, text: "a\nb \"c\"", from: "bob")
        let object = try self.jsonObject(WireFormat.json.encode(event))
        #expect(object["text"] as? String == "a\nb \"c\"")
    }

    @Test(arguments: [
        (ChatEvent.Kind.prompt, "prompt"),
        (.welcome, "welcome"),
        (.message, "message"),
        (.privateMessage, "pm"),
        (.action, "action"),
        (.notice, "notice"),
        (.error, "error"),
        (.block, "block"),
        (.mode, "mode"),
    ])
    func kindsHaveStableWireNames(kind: ChatEvent.Kind, wireName: String) throws {
        #expect(kind.rawValue == wireName)
        let object = try self.jsonObject(WireFormat.json.encode(ChatEvent(kind: kind, text: "t")))
        #expect(object["type"] as? String == wireName)
    }

    @Test func decodesAHandWrittenServerLine() throws {
        let line = #"{"type":"block","text":"bob ran /train","command":"train","lines":["choo"],"time":42}"#
        let event = try WireFormat.decodeJSON(line)
        #expect(
            event
                == ChatEvent(kind: .block, text: "bob ran /train", command: "train", lines: ["choo"], time: 42)
        )
    }

    @Test(arguments: [
        #"{"kind":"message","text":"hi"}"#,
        #"{"type":"shout","text":"hi"}"#,
        #"{"type":"message"}"#,
        "not json",
        "",
    ])
    func rejectsMalformedJSONLines(line: String) {
        #expect(throws: (any Error).self) {
            try WireFormat.decodeJSON(line)
        }
    }

    @Test func wireFormatsAreNamedPlainAndJSON() {
        #expect(WireFormat.allCases == [.plain, .json])
        #expect(WireFormat(rawValue: "json") == .json)
        #expect(WireFormat(rawValue: "plain") == .plain)
        #expect(WireFormat(rawValue: "JSON") == nil)
    }

    // MARK: Helpers

    private func jsonObject(_ bytes: ByteBuffer) throws -> [String: Any] {
        let data = Data(bytes.readableBytesView)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
