import ChatTesting
import Foundation
import Testing

/// The release `client` is the one people hand to friends: it must start on a Linux machine without Swift, so it
/// links the Swift standard library and Foundation statically (Package.swift's release linker settings).
///
/// Checked on `.build/release/client`, which `.ci/run` builds before the tests (the README's first command builds it
/// too); skipped when there is none.
@Suite(.enabled(if: ReleaseClient.path != nil, "no .build/release/client; run `swift build -c release`"))
struct StaticClientTests {
    /// Libraries that only a Swift toolchain provides.
    static let toolchainLibraries = ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime"]

    @Test func needsNoLibraryFromTheSwiftToolchain() async throws {
        let client = try #require(ReleaseClient.path)
        let ldd = try #require(CommandRun.find("ldd"), "ldd is not installed")
        let run = try await CommandRun.run(ldd, [client], timeout: .seconds(60))
        #expect(run.status == 0, "\(run)")
        let needed = run.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(needed.contains { $0.hasPrefix("libc.so") }, "ldd's answer does not look right: \(run)")
        for line in needed {
            #expect(!Self.toolchainLibraries.contains { line.hasPrefix($0) }, "the client needs \(line)")
            #expect(!line.contains("/usr/lib/swift/"), "the client needs \(line)")
        }
    }

    @Test func aCopyStartsWithNoLibraryPathSet() async throws {
        let client = try #require(ReleaseClient.path)
        // A copy in a folder of its own, as a friend would get it, with an environment that names no library path.
        try await TemporaryDirectory.withDirectory { directory in
            let copy = directory.file("client")
            // Copied by `cp`, not in this process: a process that other tests fork meanwhile would inherit our
            // write descriptor to the copy, and running it would then fail with ETXTBSY ("text file busy").
            let cp = try #require(CommandRun.find("cp"), "cp is not installed")
            let copied = try await CommandRun.run(cp, [client, copy], timeout: .seconds(60))
            #expect(copied.status == 0, "\(copied)")
            let run = try await CommandRun.run(copy, ["--help"], environment: ["PATH": "/usr/bin:/bin"])
            #expect(run.status == 0, "\(run)")
            #expect(run.standardOutput.contains("USAGE: client"), "\(run)")
        }
    }
}

/// The package's `.build/release/client`, when it has been built.
enum ReleaseClient {
    static let path: String? = {
        let path = ServerProcess.packageRoot.appendingPathComponent(".build/release/client").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()
}
