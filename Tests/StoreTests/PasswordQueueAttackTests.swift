import ChatCore
import ChatStoreSQLite
import ChatTesting
import PasswordHashing
import Testing

extension ScryptBoundTests {
    /// Issue 19, item 1: accounts looping `/password OLD NEW` with their right password kept the one shared hash queue
    /// full, and a registered owner logging in elsewhere was told "busy" every time.
    @Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
    struct PasswordQueueAttackTests {
        /// Twice the places of the line of changes, as in the attack (32 accounts on 32 addresses): half of them
        /// always find it full.
        static let attackers = 2 * PasswordHasher.maximumQueuedChanges
        static let password = "secret1"

        /// Makes `owner` and the attackers' accounts in `directory`'s store before the server opens it. Their hashes
        /// are nearly free to check (2 rounds), so logging 32 attackers in takes no time on a slow machine; the new
        /// hash of every `/password` costs the full price, which is what fills the queue.
        private func makeAccounts(in directory: TemporaryDirectory) async throws {
            let hash = try await PasswordHasher.hash(Self.password, rounds: 2)
            try await StoreFixture.withStore(in: directory) { store in
                for nickname in ["owner"] + (1...Self.attackers).map({ "acct\($0)" }) {
                    _ = try await store.createAccount(nickname: nickname, passwordHash: hash, lastSeenMessageID: 0)
                }
            }
        }

        /// Logs `nickname` in from `address` and loops `/password` with the right password, pushing every answer
        /// to `answers`, until the per-account cap stops it or the connection is closed.
        private static func attack(
            as nickname: String,
            from address: String,
            port: Int,
            answers: TimedQueue<String>,
            clients: LockedValue<[LineClient]>
        ) async throws {
            let client = try await LineClient.connect(
                port: port,
                name: nickname,
                defaultTimeout: .seconds(60),
                from: address
            )
            clients.withLock { $0.append(client) }
            try await client.logIn(as: nickname, password: Self.password)
            while true {
                try await client.send("/password \(Self.password) \(Self.password)")
                let answer = try await client.expectLine(
                    where: { $0.hasPrefix("! ") || $0 == "* Password changed." },
                    described: "answering /password",
                    maxSkipped: 200
                )
                answers.push(answer)
                if answer.contains("times an hour") { return }
            }
        }

        @Test func anOwnerLogsInWhileAccountsLoopCorrectPasswordChanges() async throws {
            try await TemporaryDirectory.withDirectory { directory in
                try await self.makeAccounts(in: directory)
                let server = try await ServerProcess.start(dataDirectory: directory.path, timeout: .seconds(30))
                defer { server.kill() }
                let answers = TimedQueue<String>()
                let clients = LockedValue<[LineClient]>([])
                let port = server.port
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 1...Self.attackers {
                        group.addTask {
                            // Each from an address of its own (127.0.0.2 …), as in the attack, so no per-address
                            // rule serialises them.
                            try? await Self.attack(
                                as: "acct\(index)",
                                from: "127.0.0.\(index + 1)",
                                port: port,
                                answers: answers,
                                clients: clients
                            )
                        }
                    }
                    // The line of changes is full once an attacker is told so.
                    var seen: [String] = []
                    while !seen.contains(where: { $0.contains("busy checking passwords") }) {
                        guard case .element(let answer) = await answers.next(timeout: .seconds(120)) else {
                            Issue.record("the attackers never filled the hash queue; answers: \(seen.suffix(8))")
                            break
                        }
                        seen.append(answer)
                    }

                    let started = ContinuousClock.now
                    let owner = try await LineClient.connect(port: port, name: "owner", defaultTimeout: .seconds(30))
                    try await owner.pick("owner")
                    try await owner.send(Self.password)
                    let answer = try await owner.expectLine(
                        where: { $0.hasPrefix("! ") || $0.contains("Welcome to slashchat, owner!") },
                        described: "answering the owner's password",
                        maxSkipped: 200
                    )
                    let took = started.duration(to: .now)
                    #expect(answer.contains("Welcome to slashchat, owner!"), "\(answer)")
                    // One change ahead of it at most, then its own check: well under a second on a quiet machine.
                    #expect(took < .seconds(15), "the owner's login took \(took)")
                    print(
                        "password queue attack: the owner logged in in \(took) while \(Self.attackers) accounts "
                            + "looped /password"
                    )

                    await owner.close()
                    for client in clients.withLock({ $0 }) {
                        await client.close()
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}
