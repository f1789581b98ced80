import ChatCore
import PasswordHashing

extension PasswordHasher {
    /// The scrypt rounds of the hashes tests make where the cost is not the point: 2^10, a sixteenth of
    /// ``PasswordHasher/rounds``. At full cost a debug-build hash holds a core for about half a second, and the
    /// store suites make hundreds of them while every other suite runs beside them.
    public static let testRounds = 1 << 10

    /// Runs `body` with new hashes made at `rounds` (``testRounds`` by default), in this task and the tasks it starts.
    public static func withTestCost<Result>(
        rounds: Int = PasswordHasher.testRounds,
        _ body: () async throws -> Result
    ) async rethrows -> Result {
        try await PasswordHasher.$newHashRounds.withValue(rounds) {
            try await body()
        }
    }
}
