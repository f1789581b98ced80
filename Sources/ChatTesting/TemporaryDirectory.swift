import Foundation

/// A fresh directory under the system's temporary directory, for one test's files; removed when the test ends.
public struct TemporaryDirectory: Sendable {
    public let path: String

    /// Creates a directory, runs `body` with it, and removes it (with everything in it) afterwards.
    public static func withDirectory<Result>(
        _ body: (TemporaryDirectory) async throws -> Result
    ) async throws -> Result {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("slashchat-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let directory = TemporaryDirectory(path: url.path)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(directory)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String {
        self.path + "/" + name
    }
}
