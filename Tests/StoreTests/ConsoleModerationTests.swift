import ChatCore
import ChatTesting
import Testing

extension ScryptBoundTests {
    /// The console over a store-backed server: a line that starts with a command word is that command, never an
    /// announcement; kick and ban take reasons; bans reach every session of an account and a guest's address.
    @Suite struct ConsoleModerationTests {
        static let quiet = Duration.milliseconds(300)

        @Test func kicksWithAReasonShownToTheKickedUser() async throws {
            try await StoreFixture.withServer { server, _ in
                let clients = try await server.joinEveryone("alice", "troll")
                let (alice, troll) = (clients[0], clients[1])
                try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console async throws in
                    #expect(try await console.run("kick troll for spamming") == "kicked troll")
                }
                let lines = try await troll.expectClosed()
                #expect(lines.contains("! You have been disconnected: kicked by the server: for spamming."), "\(lines)")
                #expect(try await alice.nextLine() == "* troll left #main (kicked by the server: for spamming)")
                try await alice.expectNoLine(within: Self.quiet)
            }
        }

        @Test(arguments: [
            ("kick", "usage: kick NICK [REASON]"),
            ("ban", "usage: ban NICK [REASON]"),
            ("unban", "usage: unban NICK|ADDRESS"),
            ("shutdown now", "shutdown takes no arguments; to announce that text, type: say shutdown now"),
            (
                "who cares about this announcement",
                "who takes no arguments; to announce that text, type: say who cares about this announcement"
            ),
        ])
        func neverAnnouncesALineThatStartsWithACommandWord(line: String, answer: String) async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console async throws in
                    #expect(try await console.run(line) == answer)
                }
                try await alice.expectNoLine(within: Self.quiet)
                #expect(await server.server.hub.sessionID(of: "alice") != nil)
            }
        }

        @Test func announcesTextThatStartsWithACommandWordWhenAskedTo() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console async throws in
                    console.type("say kick off is at noon")
                    #expect(try await alice.nextLine() == "* server: kick off is at noon")
                    console.type("> shutdown tonight at ten")
                    #expect(try await alice.nextLine() == "* server: shutdown tonight at ten")
                    console.type("welcome everyone")
                    #expect(try await alice.nextLine() == "* server: welcome everyone")
                    for number in 1...100 {
                        console.type("announcement \(number)")
                    }
                    for number in 1...100 {
                        #expect(try await alice.nextLine() == "* server: announcement \(number)")
                    }
                }
            }
        }

        @Test func bansAnAccountAndEverySessionLoggedIntoIt() async throws {
            try await StoreFixture.withServer { server, _ in
                let clients = try await server.joinEveryone("alice", "regd")
                let (alice, regd) = (clients[0], clients[1])
                try await regd.register(password: "secret123")
                try await regd.send("/nick regd2")
                #expect(try await alice.nextLine() == "* regd is now known as regd2")
                try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console async throws in
                    #expect(try await console.run("ban regd being rude") == "banned regd (disconnected 1)")
                    let lines = try await regd.expectClosed()
                    #expect(lines.contains("! You have been disconnected: banned: being rude."), "\(lines)")
                    #expect(try await console.run("bans") == "account regd")
                }
            }
        }

        @Test func bansAGuestsAddressForAWhile() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                let guest = try await server.join("guest", from: "127.0.0.7")
                #expect(try await alice.nextLine() == "* guest joined #main")
                try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console async throws in
                    let answer = try await console.run("ban guest 2h flooding")
                    #expect(answer.hasPrefix("banned the address of guest (127.0.0.7) until "), "\(answer)")
                    #expect(answer.hasSuffix(" (flooding)"), "\(answer)")
                    _ = try await guest.expectClosed()

                    let again = try await server.connect("again", from: "127.0.0.7")
                    let refusal = try await again.expectClosed()
                    #expect(refusal.count == 1)
                    #expect(refusal.first?.hasPrefix("! Your address is banned from this server until ") == true, "\(refusal)")
                    // Others are not affected.
                    _ = try await server.join("other", from: "127.0.0.8")

                    let bans = try await console.run("bans")
                    #expect(bans.hasPrefix("address 127.0.0.7 (was guest) until "), "\(bans)")
                    #expect(try await console.run("unban guest") == "unbanned the address of guest (127.0.0.7)")
                    let back = try await server.connect("back", from: "127.0.0.7")
                    try await back.join(as: "guest")
                }
            }
        }

        @Test(arguments: [("30m", 1800), ("12h", 43_200), ("7d", 604_800), ("90", 90)])
        func readsBanDurations(word: String, seconds: Int64) {
            #expect(AdminConsole.duration(word) == .seconds(seconds))
        }

        @Test(arguments: ["flooding", "-5m", "0h", "m"])
        func takesAnythingElseAsTheReason(word: String) {
            #expect(AdminConsole.duration(word) == nil)
        }
    }
}
