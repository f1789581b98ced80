import ChatCore
import ChatProtocol
import ChatStoreSQLite
import ChatTesting
import Foundation
import NIOCore
import PasswordHashing
import Testing

extension ScryptBoundTests {
    /// Registered nicknames over TCP: passwords, brute-force slowdown, offline messages, catch-up and moderation.
    @Suite struct AccountTests {
        @Test func asksForThePasswordOfARegisteredNicknameAndAcceptsTheRightOne() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let again = try await server.connect("alice again")
                try await again.expectLine(containing: "Choose a nickname")
                try await again.send("alice")
                let prompt = try await again.nextLine()
                #expect(prompt.contains("Password"))
                #expect(prompt == "* The nickname alice is registered. Password:")
                try await again.send("secret123")
                try await again.expectLine(containing: "Welcome to slashchat, alice!", maxSkipped: 0)
            }
        }

        @Test func refusesToRegisterAPasswordTheSanitizerWouldChange() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                // At login the password is compared as typed, so a cleaned one could never match again.
                try await alice.send("/register secret\u{7F}word")
                let answer = try await alice.nextLine()
                #expect(answer.hasPrefix("! A password cannot contain control characters"), "\(answer)")
                try await alice.send("/register secret\u{200B}word")
                #expect(try await alice.nextLine().hasPrefix("! A password cannot contain control characters"))
            }
        }

        @Test func asksForThePasswordWithAPromptEventInJSONMode() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let again = try await server.connect("alice again")
                try await again.send("/mode json")
                try await again.send("alice")
                let line = try await again.expectLine(containing: "\"field\":\"password\"")
                let prompt = try WireFormat.decodeJSON(line)
                #expect(prompt.kind == .prompt)
                #expect(prompt.text.contains("alice is registered"))
            }
        }

        @Test func closesTheConnectionAfterThreeWrongPasswords() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let guesser = try await server.connect("guesser")
                try await guesser.pick("alice")
                try await guesser.send("guess1")
                #expect(try await guesser.nextLine() == "! Wrong password.")
                try await guesser.send("guess2")
                try await guesser.expectLine(containing: "Password:", maxSkipped: 1)
                try await guesser.send("guess3")
                let closing = try await guesser.expectClosed()
                #expect(closing.last == "! Wrong password 3 times; goodbye.")
                #expect(await server.server.hub.sessionID(of: "alice") == nil)
            }
        }

        @Test func slowsDownAnswersAfterWrongPasswords() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let guesser = try await server.connect("guesser")
                try await guesser.pick("alice")
                let clock = ContinuousClock()
                let first = try await clock.measure {
                    try await guesser.send("guess1")
                    try await guesser.expectLine(containing: "! Wrong password")
                }
                try await guesser.send("guess2")
                try await guesser.expectLine(containing: "! Wrong password")
                let third = try await clock.measure {
                    try await guesser.send("guess3")
                    try await guesser.expectLine(containing: "! Wrong password")
                }
                // Two failures: the third answer waits 1 s more than the first (0.5 s per failure, doubling).
                #expect(third - first > .milliseconds(400), "first answer \(first), third \(third)")

                // A new connection is still slowed down, even with the right password: three recent failures for
                // the nickname (and from this address, whatever the port) mean 2 s.
                let owner = try await server.connect("owner")
                try await owner.pick("alice")
                let login = try await clock.measure {
                    try await owner.send("secret123")
                    try await owner.expectLine(containing: "Welcome to slashchat, alice!")
                }
                #expect(login > .milliseconds(1500), "login took \(login)")
            }
        }

        @Test func checksOneOfSeveralParallelGuessesAndTellsTheRestToTryAgain() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                var guessers: [LineClient] = []
                for index in 1...6 {
                    let guesser = try await server.connect("guesser \(index)", from: "127.0.0.2")
                    try await guesser.pick("alice")
                    guessers.append(guesser)
                }
                for (index, guesser) in guessers.enumerated() {
                    try await guesser.send("guess\(index)")
                }
                var answers: [String] = []
                for guesser in guessers {
                    answers.append(try await guesser.nextLine())
                }
                // One check at a time per address (and per nickname): the others are not queued up as hash work.
                let checked = answers.filter { $0 == "! Wrong password." }.count
                let refused = answers.filter { $0.hasPrefix("! Another password for alice") }.count
                #expect(checked + refused == 6, "\(answers)")
                #expect(checked >= 1 && checked <= 2, "\(answers)")
            }
        }

        @Test func strangersWrongGuessesNeverSlowTheOwnerDown() async throws {
            try await StoreFixture.withServer { server, _ in
                // alice registers from 127.0.0.1, which makes it her trusted address.
                try await server.registerAndLeave("alice", password: "secret123")
                let guesser = try await server.connect("guesser", from: "127.0.0.2")
                try await guesser.pick("alice")
                for guess in ["wrong1", "wrong2"] {
                    try await guesser.send(guess)
                    try await guesser.expectLine(containing: "! Wrong password")
                }
                try await guesser.send("wrong3")
                _ = try await guesser.expectClosed()

                let clock = ContinuousClock()
                let owner = try await server.connect("owner")
                try await owner.pick("alice")
                let login = try await clock.measure {
                    try await owner.send("secret123")
                    try await owner.expectLine(containing: "Welcome to slashchat, alice!")
                }
                try await owner.quit()
                try await server.waitUntilGone("alice")

                // From an address alice never used, the nickname's recent failures do count: 3 failures, 2 s.
                let elsewhere = try await server.connect("elsewhere", from: "127.0.0.3")
                try await elsewhere.pick("alice")
                let slowed = try await clock.measure {
                    try await elsewhere.send("secret123")
                    try await elsewhere.expectLine(containing: "Welcome to slashchat, alice!")
                }
                #expect(slowed > .milliseconds(1500), "an untrusted address waited only \(slowed)")
                // The same login from the owner's address skipped those 2 s. Compared with each other rather than
                // with a bound, the two timings keep their meaning on a machine busy enough to slow both.
                #expect(slowed - login > .seconds(1), "the owner waited \(login), an untrusted address \(slowed)")
            }
        }

        @Test func neverCompletesALoginWhoseConnectionClosedWhileWaiting() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let bob = try await server.join("bob")
                // Two failures from this address: the next check waits 1 s, long enough for the close to arrive.
                let guesser = try await server.connect("guesser", from: "127.0.0.2")
                try await guesser.pick("alice")
                try await guesser.send("wrong1")
                try await guesser.expectLine(containing: "! Wrong password")
                try await guesser.send("wrong2")
                try await guesser.expectLine(containing: "! Wrong password")
                try await guesser.send("wrong3")
                _ = try await guesser.expectClosed()
                let lucky = try await server.connect("lucky", from: "127.0.0.2")
                try await lucky.pick("alice")
                try await lucky.sendRaw("secret123\n")
                await lucky.close()
                try await bob.expectNoLine(within: .seconds(3))
                #expect(await server.server.hub.sessionID(of: "alice") == nil)
            }
        }

        @Test func givesEachPasswordAnswerItsOwnTimerThatTheThrottleDoesNotEat() async throws {
            var configuration = ServerConfiguration.loopback(nicknameTimeout: .seconds(2))
            configuration.passwordTimeout = .seconds(2)
            try await StoreFixture.withServer(configuration: configuration) { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let guesser = try await server.connect("guesser", from: "127.0.0.2")
                try await guesser.pick("alice")
                for guess in ["wrong1", "wrong2"] {
                    try await guesser.send(guess)
                    try await guesser.expectLine(containing: "! Wrong password")
                }
                _ = try await guesser.expectClosed()
                // Later, from the same address: the check waits 1-2 s and the whole dialogue takes longer than the
                // nickname timer, yet the right password gets in.
                let owner = try await server.connect("owner", from: "127.0.0.2")
                try await Task.sleep(for: .milliseconds(1500))
                try await owner.pick("alice")
                try await owner.send("secret123")
                try await owner.expectLine(containing: "Welcome to slashchat, alice!")
            }
        }

        @Test func aBurstOfGuessersThatLeaveCannotFreezeLogins() async throws {
            try await StoreFixture.withServer { server, persistence in
                try await server.registerAndLeave("alice", password: "secret123")
                // A hundred accounts and a hundred guessers from a hundred addresses, each sending thirty wrong
                // passwords at once and leaving: before the hash queue was bounded, their checks queued up for
                // longer than any login could wait.
                // Made here, outside the server, at the production cost: how long the queued checks take is what
                // this test is about.
                let hash = try await PasswordHasher.hash("whatever1")
                for index in 0..<100 {
                    _ = try await persistence.store.createAccount(
                        nickname: "user\(index)",
                        passwordHash: hash,
                        lastSeenMessageID: 0
                    )
                }
                for index in 0..<100 {
                    let guesser = try await server.connect("guesser \(index)", from: "127.0.1.\(index + 1)")
                    try await guesser.pick("user\(index)")
                    try await guesser.sendRaw(Array(repeating: "wrong-guess\n", count: 30).joined())
                    await guesser.close()
                }
                let clock = ContinuousClock()
                let owner = try await server.connect("owner")
                try await owner.pick("alice")
                // A full queue says "try again" rather than making anyone wait; the owner does, as a person would.
                let login = try await clock.measure {
                    for _ in 0..<20 {
                        try await owner.send("secret123")
                        let answer = try await owner.nextLine()
                        if answer.contains("Welcome to slashchat, alice!") { return }
                        #expect(answer == "! The server is busy checking passwords; try again in a moment.")
                        try await owner.expectLine(containing: "Password:", maxSkipped: 0)
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    Issue.record("the owner never got in")
                }
                #expect(login < .seconds(5), "a correct login took \(login) after the burst")
            }
        }

        @Test func limitsRegistrationsPerConnectionAndPerAddress() async throws {
            try await StoreFixture.withServer { server, _ in
                let squatter = try await server.join("squat0", from: "127.0.0.2")
                for index in 0..<3 {
                    if index > 0 {
                        try await squatter.send("/nick squat\(index)")
                        try await squatter.expectLine(containing: "is now known as squat\(index)")
                    }
                    try await squatter.register(password: "secret123")
                }
                try await squatter.send("/nick squat3")
                try await squatter.expectLine(containing: "is now known as squat3")
                try await squatter.send("/register secret123")
                #expect(try await squatter.nextLine() == "! One connection may register at most 3 nicknames.")

                // Two more from another connection on the same address, then the address has had its five.
                let second = try await server.join("more0", from: "127.0.0.2")
                try await second.register(password: "secret123")
                try await second.send("/nick more1")
                try await second.expectLine(containing: "is now known as more1")
                try await second.register(password: "secret123")
                try await second.send("/nick more2")
                try await second.expectLine(containing: "is now known as more2")
                try await second.send("/register secret123")
                let refusal = try await second.nextLine()
                #expect(
                    refusal.hasPrefix("! Your address has registered 5 nicknames this hour; try again in "),
                    "\(refusal)"
                )

                // Another address is not affected.
                let elsewhere = try await server.join("honest", from: "127.0.0.3")
                try await elsewhere.register(password: "secret123")
            }
        }

        @Test func losesNoPrivateMessageSentWhileItsRecipientQuits() async throws {
            var configuration = ServerConfiguration.loopback(floodRate: 0)
            configuration.maxClientsPerAddress = 0
            try await StoreFixture.withServer(configuration: configuration) { server, _ in
                let clients = try await server.joinEveryone("alice", "bob")
                let (alice, bob) = (clients[0], clients[1])
                try await bob.register(password: "secret123")
                // alice fires PMs while bob quits in the middle of them: each must reach bob's live connection or
                // be kept for his next login.
                let total = 300
                try await alice.sendRaw((0..<total).map { "/msg bob pm \($0)\n" }.joined())
                try await bob.expectLine(containing: "[PM from alice] pm 0")
                try await bob.send("/quit")
                var received = Set<String>()
                for line in try await bob.expectClosed(maxSkipped: total + 10) {
                    if line.hasPrefix("[PM from alice] ") { received.insert(String(line.dropFirst(16))) }
                }
                received.insert("pm 0")
                try await server.waitUntilGone("bob")
                // Everything alice sent has been answered before bob comes back. Past the cap of waiting messages
                // per sender she is told hers was not kept: refused, not lost.
                try await alice.send("/whois alice")
                var refused = 0
                while true {
                    let line = try await alice.nextLine()
                    if line.contains("yours was not kept") { refused += 1 }
                    if line.contains("alice is in #main") { break }
                }
                let again = try await server.connect("bob again")
                try await again.logIn(as: "bob", password: "secret123")
                for line in try await again.linesBeforeNextCommand() {
                    if line.hasPrefix("[History] [PM from alice] ") { received.insert(String(line.dropFirst(26))) }
                }
                #expect(received.count + refused == total, "\(received.count) arrived, \(refused) refused of \(total)")
                #expect(refused > 0 && refused <= total - ChatHub.maximumWaitingPrivateMessagesPerSender)
            }
        }

        @Test func replaysLongOfflineMessagesAtTheReadersPaceAndLosesNone() async throws {
            var configuration = ServerConfiguration.loopback(floodRate: 0, outboxCapacity: 256 * 1024)
            configuration.maxClientsPerAddress = 0
            try await StoreFixture.withServer(configuration: configuration) { server, _ in
                try await server.registerAndLeave("bob", password: "secret123")
                // Forty senders, each near the cap: 12 KiB a message once decoded would be far past bob's outbox.
                var sent = 0
                for index in 0..<10 {
                    let sender = try await server.join("sender\(index)")
                    for number in 0..<20 {
                        let text = "m\(index)-\(number) " + String(repeating: "\u{E9}", count: 1_500)
                        try await sender.send("/msg bob \(text)")
                        try await sender.expectLine(containing: "bob is offline")
                        sent += 1
                    }
                    await sender.close()
                }
                let bob = try await server.connect("bob again")
                try await bob.logIn(as: "bob", password: "secret123")
                var replayed = 0
                for line in try await bob.linesBeforeNextCommand() where line.hasPrefix("[History] [PM from sender") {
                    replayed += 1
                }
                #expect(replayed == sent)
                #expect(!bob.isClosed)
                await bob.close()
                // Nothing is left waiting: everything was marked delivered once written.
                try await server.waitUntilGone("bob")
                let again = try await server.connect("bob once more")
                try await again.logIn(as: "bob", password: "secret123")
                let rest = try await again.linesBeforeNextCommand()
                #expect(!rest.contains { $0.contains("arrived while you were away") }, "\(rest.prefix(3))")
            }
        }

        @Test func keepsARegisteredUsersIgnoreListAcrossLogins() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await alice.register(password: "secret123")
                try await alice.send("/ignore troll")
                try await alice.expectLine(containing: "You are now ignoring troll")
                try await alice.quit()
                try await server.waitUntilGone("alice")
                let again = try await server.connect("alice again")
                try await again.logIn(as: "alice", password: "secret123")
                _ = try await again.linesBeforeNextCommand()
                try await again.send("/ignore")
                #expect(try await again.nextLine() == "* Ignoring: troll")
                let troll = try await server.join("troll")
                try await troll.send("can you hear me")
                try await again.expectNoLine(within: .milliseconds(300))
            }
        }

        @Test func changesThePasswordSoTheOldOneStopsWorking() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await alice.register(password: "secret123")
                try await alice.send("/password wrong123 newpass456")
                #expect(try await alice.nextLine().hasPrefix("! The old password is wrong"))
                try await alice.send("/password secret123 newpass456")
                #expect(try await alice.nextLine() == "* Password changed.")
                try await alice.quit()

                let again = try await server.connect("alice again")
                try await again.pick("alice")
                try await again.send("secret123")
                #expect(try await again.nextLine() == "! Wrong password.")
                try await again.expectLine(containing: "Password:", maxSkipped: 0)
                try await again.send("newpass456")
                try await again.expectLine(containing: "Welcome to slashchat, alice!", maxSkipped: 0)
            }
        }

        @Test func refusesATooShortPassword() async throws {
            try await StoreFixture.withServer { server, persistence in
                let alice = try await server.join("alice")
                try await alice.send("/register abc")
                let answer = try await alice.nextLine()
                #expect(answer.hasPrefix("! "))
                #expect(answer.contains("at least \(PasswordHasher.minimumLength)"))
                #expect(try await persistence.store.account(for: "alice") == nil)

                try await alice.register(password: "secret123")
                try await alice.send("/password secret123 abc")
                #expect(try await alice.nextLine().hasPrefix("! "))
            }
        }

        @Test func keepsARegisteredNicknameFromOthersEvenWhileItsOwnerIsAway() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("alice", password: "secret123")
                let bob = try await server.join("bob")
                for name in ["alice", "ALICE"] {
                    try await bob.send("/nick \(name)")
                    let answer = try await bob.nextLine()
                    #expect(answer.hasPrefix("! "))
                    #expect(answer.contains("registered"))
                }
                #expect(await server.server.hub.sessionID(of: "bob") != nil)
                #expect(await server.server.hub.sessionID(of: "alice") == nil)
            }
        }

        @Test func letsAnyoneTakeAnUnregisteredNicknameNobodyUses() async throws {
            try await StoreFixture.withServer { server, _ in
                let carol = try await server.join("carol")
                try await carol.quit()
                try await server.waitUntilGone("carol")
                let dave = try await server.join("dave")
                try await dave.send("/nick carol")
                #expect(try await dave.nextLine() == "* dave is now known as carol")
                try await dave.send("/nick dave")
                #expect(try await dave.nextLine() == "* carol is now known as dave")
                // Picking it at connection time needs no password either.
                let other = try await server.connect("other")
                try await other.join(as: "carol")
            }
        }

        @Test func takesOverTheNicknameFromAStaleConnectionWithTheRightPassword() async throws {
            try await StoreFixture.withServer { server, _ in
                let stale = try await server.join("alice")
                try await stale.register(password: "secret123")
                let fresh = try await server.connect("fresh")
                try await fresh.logIn(as: "alice", password: "secret123")
                let lines = try await stale.expectClosed()
                #expect(lines.contains { $0.hasPrefix("! ") && $0.contains("logged in from elsewhere") })
            }
        }

        @Test func keepsAPrivateMessageForAnOfflineRegisteredUser() async throws {
            try await StoreFixture.withServer { server, _ in
                try await server.registerAndLeave("bob", password: "secret123")
                let alice = try await server.join("alice")
                try await alice.send("/msg bob see you later")
                let answer = try await alice.nextLine()
                #expect(answer == "* bob is offline; your message will be delivered when they next log in.")
                #expect(!answer.hasPrefix("! "))

                let bob = try await server.connect("bob")
                try await bob.logIn(as: "bob", password: "secret123")
                let arrived = try await bob.linesBeforeNextCommand()
                #expect(arrived.contains("* 1 private message arrived while you were away:"))
                #expect(arrived.contains("[History] [PM from alice] see you later"))
                try await bob.quit()
                #expect(try await alice.linesBeforeNextCommand().allSatisfy { !$0.contains("see you later") })

                // Delivered once: the next login brings nothing.
                try await server.waitUntilGone("bob")
                let bobAgain = try await server.connect("bob again")
                try await bobAgain.logIn(as: "bob", password: "secret123")
                let later = try await bobAgain.linesBeforeNextCommand()
                #expect(later.allSatisfy { !$0.contains("see you later") && !$0.contains("while you were") })
            }
        }

        @Test func refusesAPrivateMessageForAnOfflineUnregisteredNickname() async throws {
            try await StoreFixture.withServer { server, _ in
                let alice = try await server.join("alice")
                try await alice.send("/msg zed are you there")
                let answer = try await alice.nextLine()
                #expect(answer.hasPrefix("! "))
                #expect(answer.contains("zed"))
            }
        }

        @Test func catchesAReturningUserUpOnWhatTheRoomSaidSince() async throws {
            try await StoreFixture.withServer { server, _ in
                let clients = try await server.joinEveryone("alice", "carol")
                let (alice, carol) = (clients[0], clients[1])
                try await alice.send("before 1")
                try await alice.send("before 2")
                try await carol.expectLine(containing: "<alice> before 2")

                let bob = try await server.join("bob")
                try await bob.register(password: "secret123")
                try await bob.quit()
                try await alice.expectLine(containing: "bob left #main")

                try await alice.send("missed 1")
                try await alice.send("missed 2")
                try await carol.expectLine(containing: "<alice> missed 2")

                let returning = try await server.connect("bob returning")
                try await returning.logIn(as: "bob", password: "secret123")
                let caughtUp = try await returning.historyLines()
                #expect(caughtUp == ["[History] <alice> missed 1", "[History] <alice> missed 2"])

                // Someone new still gets the last N.
                let dave = try await server.join("dave")
                #expect(try await dave.historyLines().count == 4)

                // Nothing said since: nothing replayed, not the same lines again.
                try await returning.quit()
                try await alice.expectLine(containing: "bob left #main")
                let quiet = try await server.connect("bob again")
                try await quiet.logIn(as: "bob", password: "secret123")
                #expect(try await quiet.historyLines() == [])
            }
        }

        @Test func capsTheCatchUpAndPointsToTheHistoryCommand() async throws {
            try await StoreFixture.withServer(catchUpLimit: 2) { server, _ in
                let clients = try await server.joinEveryone("alice", "carol")
                let (alice, carol) = (clients[0], clients[1])
                let bob = try await server.join("bob")
                try await bob.register(password: "secret123")
                try await bob.quit()
                try await alice.expectLine(containing: "bob left #main")
                for index in 1...3 {
                    try await alice.send("missed \(index)")
                }
                try await carol.expectLine(containing: "<alice> missed 3")

                let returning = try await server.connect("bob returning")
                try await returning.logIn(as: "bob", password: "secret123")
                #expect(
                    try await returning.linesBeforeNextCommand() == [
                        "* 1 more since you left; /history shows more.",
                        "[History] <alice> missed 2",
                        "[History] <alice> missed 3",
                    ]
                )
            }
        }

        @Test func neverWritesThePasswordIntoTheDatabaseFiles() async throws {
            let passwords = ["Unique-Pa55word-One", "Unique-Pa55word-Two"]
            try await TemporaryDirectory.withDirectory { directory in
                try await StoreFixture.withServer(in: directory) { server, _ in
                    let alice = try await server.join("alice")
                    try await alice.register(password: passwords[0])
                    try await alice.send("/password \(passwords[0]) \(passwords[1])")
                    #expect(try await alice.nextLine() == "* Password changed.")
                    try await alice.quit()
                    let again = try await server.connect("alice again")
                    try await again.logIn(as: "alice", password: passwords[1])
                    self.expectNoPassword(passwords, in: directory)
                }
                self.expectNoPassword(passwords, in: directory)
            }
        }

        private func expectNoPassword(_ passwords: [String], in directory: TemporaryDirectory) {
            let files = directory.databaseFiles()
            #expect(files.contains { $0.name == SQLiteChatStore.fileName })
            // The hash is there (so these are the right files, and the account was written) ...
            #expect(files.contains { $0.bytes.range(of: Data("scrypt$16384$8$1$".utf8)) != nil })
            // ... the password is not, in any of them.
            for file in files {
                for password in passwords {
                    #expect(file.bytes.range(of: Data(password.utf8)) == nil, "\(file.name) contains \(password)")
                }
            }
        }

        @Test func bansAndUnbansARegisteredNicknameFromTheConsole() async throws {
            try await StoreFixture.withServer { server, _ in
                try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console in
                    let bob = try await server.join("bob")
                    let alice = try await server.join("alice", from: "127.0.0.5")
                    try await bob.expectLine(containing: "alice joined #main")
                    try await alice.register(password: "secret123")

                    let answer = try await console.run("ban alice")
                    #expect(
                        answer.hasPrefix("banned the account alice for good; also the address 127.0.0.5"),
                        "\(answer)"
                    )
                    #expect(answer.hasSuffix("; disconnected 1"), "\(answer)")
                    let lines = try await alice.expectClosed()
                    #expect(lines.contains("! You have been disconnected: banned."))
                    try await bob.expectLine(containing: "alice left #main (banned)")

                    let banned = try await server.connect("banned")
                    try await banned.expectLine(containing: "Choose a nickname")
                    try await banned.send("alice")
                    let refusal = try await banned.expectClosed()
                    #expect(refusal.contains("! The nickname alice is banned from this server."))
                    #expect(!refusal.contains { $0.contains("Password:") })

                    #expect(
                        try await console.run("unban alice") == "unbanned alice, the address of alice (127.0.0.5)"
                    )
                    let back = try await server.connect("back")
                    try await back.logIn(as: "alice", password: "secret123")

                    #expect(try await console.run("ban nobody").contains("not registered"))
                }
            }
        }

        @Test func kicksAUserFromTheConsole() async throws {
            try await StoreFixture.withServer { server, _ in
                let clients = try await server.joinEveryone("alice", "bob")
                let (alice, bob) = (clients[0], clients[1])
                let answer = try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console in
                    try await console.run("kick bob")
                }
                #expect(answer == "kicked bob")
                let lines = try await bob.expectClosed()
                #expect(lines.contains("! You have been disconnected: kicked by the server."))
                try await alice.expectLine(containing: "bob left #main (kicked by the server)")
                #expect(await server.server.hub.sessionID(of: "bob") == nil)
            }
        }

        @Test(arguments: ["kick bo\u{1B}[2Jb", "ban b\u{202E}ob", "unban bob\u{07}"])
        func refusesAConsoleNicknameThatHeldControlCharacters(line: String) async throws {
            try await StoreFixture.withServer { server, _ in
                let clients = try await server.joinEveryone("alice", "bob")
                let answer = try await AdminConsoleDriver.withConsole(hub: server.server.hub) { console in
                    try await console.run(line)
                }
                #expect(answer.contains("cannot contain control characters"), "\(answer)")
                // Nobody was kicked, and nothing was announced.
                try await clients[1].expectNoLine(within: .milliseconds(250))
                #expect(await server.server.hub.sessionID(of: "bob") != nil)
            }
        }

        @Test func letsARenamedOwnerRegisterTheNewNickname() async throws {
            try await StoreFixture.withServer { server, persistence in
                let alice = try await server.join("alice")
                try await alice.register(password: "secret123")
                try await alice.send("/nick alice2")
                #expect(try await alice.nextLine() == "* alice is now known as alice2")
                try await alice.send("/register other456")
                let answer = try await alice.nextLine()
                let account = try await persistence.store.account(for: "alice2")
                #expect(answer.hasPrefix("* Registered alice2."))
                #expect(account != nil)
            }
        }
    }
}
