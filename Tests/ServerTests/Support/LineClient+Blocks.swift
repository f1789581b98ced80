import ChatTesting

/// Reading command blocks: a `* nick ran /command …` header, then the body lines.
extension LineClient {
    /// The next `count` lines, each within the default timeout.
    func nextLines(_ count: Int, timeout: Duration? = nil) async throws -> [String] {
        var lines: [String] = []
        for _ in 0..<count {
            lines.append(try await self.nextLine(timeout: timeout))
        }
        return lines
    }

    /// Expects the next line to be the block header `* header`, then returns the `count` body lines after it.
    func expectBlock(header: String, bodyLines count: Int) async throws -> [String] {
        let first = try await self.nextLine()
        guard first == "* \(header)" else {
            throw ExpectationFailure("\(self.name): expected the block header \"* \(header)\", got \"\(first)\"")
        }
        return try await self.nextLines(count)
    }

    /// Expects the next line to be the block header `* header`, then returns the lines that follow until the
    /// connection goes quiet: for blocks whose length the test does not know.
    func expectBlock(header: String, timeout: Duration? = nil) async throws -> [String] {
        let first = try await self.nextLine(timeout: timeout)
        guard first == "* \(header)" else {
            throw ExpectationFailure("\(self.name): expected the block header \"* \(header)\", got \"\(first)\"")
        }
        return await self.drain()
    }

    /// The next line (waited for as long as `timeout`), then every line after it until the connection goes quiet:
    /// for answers of unknown length, such as `/help`, whose first line may take a moment.
    func nextLinesUntilQuiet(timeout: Duration? = nil) async throws -> [String] {
        let first = try await self.nextLine(timeout: timeout)
        return [first] + (await self.drain())
    }
}
