import Foundation

/// A fresh temporary folder for tests that write scripts and plugin files; removed with its contents when the last
/// reference goes away (Swift Testing makes a new suite value, and so a new folder, for every test).
final class ScriptDirectory: Sendable {
    let path: String

    init() throws {
        let path = FileManager.default.temporaryDirectory.path + "/slashchat-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// The absolute path of `name` in the folder (which need not exist).
    func file(_ name: String) -> String {
        self.path + "/" + name
    }

    /// Writes `contents` to `name` with `permissions` and returns its absolute path.
    @discardableResult
    func write(_ name: String, _ contents: String, permissions: Int = 0o755) throws -> String {
        let path = self.file(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        return path
    }

    /// Writes an executable `/bin/sh` script with `body` under its `#!` line and returns its absolute path.
    @discardableResult
    func script(_ name: String, _ body: String) throws -> String {
        try self.write(name, "#!/bin/sh\n" + body + "\n")
    }
}
