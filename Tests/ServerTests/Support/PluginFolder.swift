import ChatTesting
import Foundation

/// A temporary plugins folder for one test, deleted when the test ends.
struct PluginFolder {
    let path: String

    /// Creates an empty folder, runs `body` with it, and deletes it (whatever `body` did).
    static func with(_ body: (PluginFolder) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("slashchat-plugins-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(PluginFolder(path: path))
    }

    /// The full path of `name` in the folder.
    func file(_ name: String) -> String {
        self.path + "/" + name
    }

    /// Writes a `/bin/sh` plugin: `#!/bin/sh`, then `script`. Written under a hidden name and renamed into place,
    /// so a rescan running meanwhile never sees half a file.
    func writeShellPlugin(_ name: String, _ script: String, executable: Bool = true) throws {
        let hidden = self.file(".\(name).\(UUID().uuidString)")
        let contents = Data(("#!/bin/sh\n" + script + "\n").utf8)
        guard FileManager.default.createFile(atPath: hidden, contents: contents) else {
            throw ExpectationFailure("could not write the plugin \(name) in \(self.path)")
        }
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: hidden)
        if FileManager.default.fileExists(atPath: self.file(name)) {
            try FileManager.default.removeItem(atPath: self.file(name))
        }
        try FileManager.default.moveItem(atPath: hidden, toPath: self.file(name))
    }

    /// Deletes the plugin `name`.
    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: self.file(name))
    }
}
