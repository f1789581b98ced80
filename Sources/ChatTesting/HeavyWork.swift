/// Tests that start heavy programs beside the test process (a browser, several server nodes on PostgreSQL, real IRC
/// clients) take turns: on a two-core machine, two of them at once starve every other test running in parallel of
/// CPU for seconds, and tests that wait for events within generous limits still miss them.
public enum HeavyWork {
    private static let gate = TurnGate()

    /// Runs `body` once no other heavy test runs; the wait for a turn is not part of any test's limits.
    public static func inTurn<Result>(_ body: () async throws -> Result) async throws -> Result {
        await Self.gate.enter()
        do {
            let result = try await body()
            await Self.gate.leave()
            return result
        } catch {
            await Self.gate.leave()
            throw error
        }
    }
}

/// One at a time, first come first served.
private actor TurnGate {
    private var isTaken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard self.isTaken else {
            self.isTaken = true
            return
        }
        await withCheckedContinuation { self.waiting.append($0) }
    }

    func leave() {
        guard !self.waiting.isEmpty else {
            self.isTaken = false
            return
        }
        // The turn passes straight to the next in line: it stays taken.
        self.waiting.removeFirst().resume()
    }
}
