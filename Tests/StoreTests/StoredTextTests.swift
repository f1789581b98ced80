import ChatCore
import ChatProtocol
import ChatTesting
import Foundation
import PasswordHashing
import Testing

/// Issue 19, item 4: text read back from the store was trusted. A database restored from elsewhere, or written by an
/// older version, is input too: what it replays is cleaned and capped exactly as a user's line is.
@Suite struct StoredTextTests {
    /// What a hostile database holds, and what a plain client must see of it.
    static let cases: [(stored: String, shown: String)] = [
        ("\u{1B}[2J\u{1B}]0;owned\u{07}cleared", "cleared"),
        ("ding\u{07}", "ding"),
        ("evil\u{202E}txt.exe", "eviltxt.exe"),
        ("over\rwritten", "overwritten"),
        ("hello\n! fake error", "hello! fake error"),
        ("hi\n* server: fake announcement", "hi* server: fake announcement"),
    ]

    @Test func replaysStoredRoomTextCleanedAndCappedAsAUsersLine() async throws {
        try await StoreFixture.withServer { server, persistence in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let hostile = Self.cases.map(\.stored) + [String(repeating: "é", count: 105_000 / 2)]
            _ = try await persistence.store.append(
                hostile.map { StoredMessage(room: "#main", sender: "mallory", kind: .message, text: $0, time: now) }
                    + [StoredMessage(room: "#main", sender: "mal\nlory", kind: .action, text: "waves", time: now)]
            )
            let carol = try await server.join("carol")
            let lines = try await carol.historyLines()
            #expect(Array(lines.prefix(Self.cases.count)) == Self.cases.map { "[History] <mallory> \($0.shown)" })
            let long = lines.dropFirst(Self.cases.count).first ?? ""
            let prefix = "[History] <mallory> "
            #expect(long.hasPrefix(prefix))
            // Cut to the cap a user's line meets, on a character boundary (é is two bytes).
            #expect(long.utf8.count - prefix.utf8.count == LineDecoder.maximumLineLength, "\(long.utf8.count) bytes")
            #expect(lines.last == "[History] * mallory waves")
            #expect(lines.count == Self.cases.count + 2, "\(lines)")
        }
    }

    @Test func deliversStoredPrivateMessagesCleanedAndCapped() async throws {
        try await StoreFixture.withServer { server, persistence in
            // Two rounds of scrypt: logging in costs nothing, even on a slow machine.
            let hash = try await PasswordHasher.hash("secret123", rounds: 2)
            _ = try await persistence.store.createAccount(nickname: "bob", passwordHash: hash, lastSeenMessageID: 0)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for text in Self.cases.map(\.stored) + [String(repeating: "x", count: 105_000)] {
                try await persistence.store.storePrivateMessage(
                    StoredPrivateMessage(sender: "mallory", recipient: "bob", text: text, time: now),
                    delivered: false
                )
            }
            let bob = try await server.connect("bob")
            try await bob.logIn(as: "bob", password: "secret123")
            let lines = try await bob.linesBeforeNextCommand().filter { $0.hasPrefix("[History] ") }
            let prefix = "[History] [PM from mallory] "
            #expect(Array(lines.prefix(Self.cases.count)) == Self.cases.map { prefix + $0.shown })
            #expect(lines.last?.utf8.count == prefix.utf8.count + LineDecoder.maximumLineLength)
            #expect(lines.count == Self.cases.count + 1, "\(lines)")
        }
    }
}
