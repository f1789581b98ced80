import ChatProtocol
import Foundation
import Testing

/// The hub's notices carry what they are about, typed, beside the words plain and JSON clients see, which stay
/// exactly as they were.
struct ChatOccurrenceTests {
    @Test func eachNoticeSaysItInWordsAndInFacts() throws {
        let cases: [(ChatEvent, String, ChatOccurrence)] = [
            (.joined("alice", room: "#main"), "alice joined #main", .joined(nickname: "alice", room: "#main")),
            (.back("alice", room: "#main"), "alice is back in #main", .joined(nickname: "alice", room: "#main")),
            (
                .left("bob", room: "#side", reason: "quit"), "bob left #side (quit)",
                .left(nickname: "bob", room: "#side", reason: "quit")
            ),
            (
                .left("bob", room: "#side", reason: nil), "bob left #side",
                .left(nickname: "bob", room: "#side", reason: nil)
            ),
            (
                .moved("bob", from: "#main", to: "#side"), "bob left #main for #side",
                .moved(nickname: "bob", from: "#main", to: "#side")
            ),
            (
                .renamed("bob", to: "robert", room: "#main"), "bob is now known as robert",
                .renamed(from: "bob", to: "robert")
            ),
            (.announcement("restart at 5"), "server: restart at 5", .announcement("restart at 5")),
        ]
        for (event, text, occurrence) in cases {
            #expect(event.kind == .notice)
            #expect(event.text == text)
            #expect(event.occurrence == occurrence)
        }
        let summary = try #require(ChatEvent.comingsAndGoings(in: "#big", arrivals: 37, departures: 4))
        #expect(summary.text == "37 joined and 4 left #big")
        #expect(ChatEvent.comingsAndGoings(in: "#big", arrivals: 0, departures: 2)?.text == "2 left #big")
        #expect(ChatEvent.comingsAndGoings(in: "#big", arrivals: 0, departures: 0) == nil)
    }

    @Test func theWireFormatsDoNotCarryIt() throws {
        let event = ChatEvent.left("bob", room: "#main", reason: "quit")
        let json = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        #expect(!json.contains("occurrence") && !json.contains("nickname"))
        #expect(event.plainLines == ["* bob left #main (quit)"])
    }
}
