import ChatTesting

/// What an installed tool prints, run directly (not through the server), to compare with what the server posts.
enum ToolOutput {
    /// The stdout lines of `executable arguments`, split as the server splits them (a final newline ends the last
    /// line rather than starting an empty one).
    static func lines(of executable: String, _ arguments: [String]) async throws -> [String] {
        // Awaited, not waited for on the thread: a blocked thread is one of the two that every test of a parallel
        // run shares on two cores.
        let run = try await CommandRun.run(
            executable,
            arguments,
            environment: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": "/tmp", "PATH": "/usr/bin:/bin"]
        )
        var lines = run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" {
            lines.removeLast()
        }
        return lines
    }
}
