import Foundation

/// A fresh directory under the system's temporary directory, for one test's data; removed when the test ends.
struct TemporaryDirectory: Sendable {
    let path: String

    /// Creates a directory, runs `body` with it, and removes it (with everything in it) afterwards.
    static func withDirectory<Result>(
        _ body: (TemporaryDirectory) async throws -> Result
    ) async throws -> Result {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("slashchat-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let directory = TemporaryDirectory(path: url.path)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(directory)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String {
        self.path + "/" + name
    }

    /// The database and its WAL and shared-memory companions, as far as they exist, with their bytes.
    func databaseFiles() -> [(name: String, bytes: Data)] {
        ["", "-wal", "-shm"].compactMap { suffix in
            let name = "slashchat.sqlite" + suffix
            return FileManager.default.contents(atPath: self.file(name)).map { (name, $0) }
        }
    }

    /// Replaces the database with `count` random bytes that cannot be an SQLite header.
    func writeGarbageDatabase(count: Int = 8192) throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // "SQLite format 3\0" is the header; make sure the first byte already differs.
        bytes[0] = UInt8(ascii: "X")
        try Data(bytes).write(to: URL(fileURLWithPath: self.file("slashchat.sqlite")))
    }
}
