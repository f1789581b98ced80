import ChatCore
import Foundation
import PasswordHashing
import Testing

extension ScryptBoundTests {
    /// ``PasswordHasher``: salted scrypt hashes that verify the right password and nothing else.
    @Suite struct PasswordHasherTests {
        @Test func verifiesThePasswordItHashed() async throws {
            let stored = try await PasswordHasher.hash("correct horse")
            #expect(await PasswordHasher.verify("correct horse", against: stored))
        }

        @Test func rejectsAWrongPassword() async throws {
            let stored = try await PasswordHasher.hash("secret123")
            #expect(await !PasswordHasher.verify("secret124", against: stored))
            #expect(await !PasswordHasher.verify("Secret123", against: stored))
            #expect(await !PasswordHasher.verify("secret123 ", against: stored))
            #expect(await !PasswordHasher.verify("", against: stored))
        }

        @Test func refusesWorkBeyondTheQueueInsteadOfWaiting() async throws {
            let stored = try await PasswordHasher.hash("secret123")
            let results = await withTaskGroup(of: String.self) { group in
                for _ in 0..<(PasswordHasher.maximumQueued + 16) {
                    group.addTask {
                        do {
                            return try await PasswordHasher.check("wrong", against: stored, abandonIf: { false })
                                ? "right" : "wrong"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == "busy" }.count >= 16, "\(results)")
            #expect(results.filter { $0 == "wrong" }.count <= PasswordHasher.maximumQueued)
            #expect(!results.contains("right"))
        }

        @Test func skipsTheWorkOfARequesterThatHasGone() async throws {
            let stored = try await PasswordHasher.hash("secret123")
            let clock = ContinuousClock()
            let elapsed = await clock.measure {
                for _ in 0..<20 {
                    await #expect(throws: PasswordHasher.QueueError.abandoned) {
                        try await PasswordHasher.check("secret123", against: stored, abandonIf: { true })
                    }
                }
            }
            // Twenty real hashes take seconds; skipped ones take next to nothing.
            #expect(elapsed < .seconds(1), "\(elapsed)")
        }

        @Test func saltsEveryHash() async throws {
            let first = try await PasswordHasher.hash("secret123")
            let second = try await PasswordHasher.hash("secret123")
            #expect(first != second)
            let salts = [first, second].map { $0.split(separator: "$")[4] }
            #expect(salts[0] != salts[1])
            #expect(await PasswordHasher.verify("secret123", against: second))
        }

        @Test func storesItsParametersAndNeverThePassword() async throws {
            let password = "hunter2-plain"
            let stored = try await PasswordHasher.hash(password)
            #expect(stored.hasPrefix("scrypt$16384$8$1$"))
            #expect(!stored.contains(password))
            let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
            #expect(parts.count == 6)
            #expect(parts.allSatisfy { !$0.isEmpty })
        }

        @Test func rejectsAHashWhoseKeyWasChanged() async throws {
            let stored = try await PasswordHasher.hash("secret123")
            var parts = stored.split(separator: "$").map(String.init)
            let other = try await PasswordHasher.hash("secret456").split(separator: "$").map(String.init)
            parts[5] = other[5]
            #expect(await !PasswordHasher.verify("secret123", against: parts.joined(separator: "$")))
        }

        @Test(arguments: [
            "",
            "scrypt",
            "secret123",
            "bcrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==",
            "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5$extra",
            "scrypt$many$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$16384$8$1$not base64!$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$not base64!",
            "scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$0$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$16384$0$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$16384$8$0$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$2097152$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$",
        ])
        func rejectsMalformedHashes(_ stored: String) async {
            #expect(await !PasswordHasher.verify("secret123", against: stored))
        }

        /// Run in a child process (an exit test), because today it traps and would take the test run with it.
        @Test func rejectsAHashWithNegativeParametersWithoutCrashing() async {
            await #expect(processExitsWith: .success) {
                let stored = "scrypt$-16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U="
                guard await !PasswordHasher.verify("secret123", against: stored) else { exit(1) }
            }
        }
    }
}
