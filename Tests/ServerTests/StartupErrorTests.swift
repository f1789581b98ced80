import ChatTesting
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The real `server` meeting what a person running it can fix: one clear line, exit 1, and files only its user can
/// read.
@Suite(.enabled(if: ServerProcess.binary != nil, ServerProcess.missingBinaryReason))
struct StartupErrorTests {
    @Test func aPortInUseIsOneLineAndExitOne() async throws {
        let holder = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(holder.localAddress?.port)
        try await TemporaryDirectory.withDirectory { directory in
            // Binding the same address again: SO_REUSEADDR does not share a port that is being listened on.
            let server = try ServerProcess.launch(dataDirectory: directory.path, port: port)
            let status = try await server.waitForExit(timeout: .seconds(30))
            #expect(status == 1, "\(server.standardError)")
            #expect(server.standardError.contains("server: error: port \(port) is in use"), "\(server.standardError)")
            #expect(!server.standardError.contains("bind(descriptor"), "\(server.standardError)")
            #expect(!server.standardError.contains("CancellationError"), "\(server.standardError)")
        }
        try await holder.close()
    }

    @Test func theDataDirectoryAndTheStoreAreReadableByTheirOwnerOnly() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let data = directory.file("chat-data")
            // The server creates the data directory itself; it runs in the directory above.
            let server = try await ServerProcess.start(dataDirectory: data, workingDirectory: directory.path)
            defer { server.kill() }
            #expect(try Self.mode(of: data) == 0o700)
            #expect(try Self.mode(of: data + "/slashchat.sqlite") == 0o600)
            for companion in ["-wal", "-shm"] {
                let path = data + "/slashchat.sqlite" + companion
                guard FileManager.default.fileExists(atPath: path) else { continue }
                #expect(try Self.mode(of: path) == 0o600)
            }
        }
    }

    @Test func aStoreLeftReadableByOthersIsTightened() async throws {
        try await TemporaryDirectory.withDirectory { directory in
            let data = directory.file("chat-data")
            do {
                let first = try await ServerProcess.start(dataDirectory: data, workingDirectory: directory.path)
                first.kill()
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: data)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data + "/slashchat.sqlite")
            let server = try await ServerProcess.start(dataDirectory: data, workingDirectory: directory.path)
            defer { server.kill() }
            #expect(try Self.mode(of: data) == 0o700)
            #expect(try Self.mode(of: data + "/slashchat.sqlite") == 0o600)
        }
    }

    private static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
