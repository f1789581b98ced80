import ChatTesting
import Foundation

/// The store's files in a test's ``TemporaryDirectory``.
extension TemporaryDirectory {
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
