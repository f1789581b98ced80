import ChatTesting
import Foundation
import Testing

/// The `client` links the protocol, the terminal pieces and TLS only: no SQLite, no subprocess code, no hub, which
/// belong to the server (the package's target graph says so; this checks the binary that came out of it). Crypto it
/// has, since `--tls`: BoringSSL comes with swift-nio-ssl.
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct ClientLinkTests {
    /// Symbols that only the server's store, core (hub, password hashing) and plugin runner bring in.
    static let serverOnlySymbols = ["sqlite3_open", "10Subprocess", "ChatStoreSQLite", "8ChatCore", "16ChatTransport"]

    @Test func theClientBinaryHoldsNoServerCode() async throws {
        let nm = ["/usr/bin/nm", "/opt/swift/usr/bin/llvm-nm"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let tool = try #require(nm, "neither nm nor llvm-nm is installed")
        let run = try await CommandRun.run(tool, [ClientProcess.executable!.path], timeout: .seconds(60))
        #expect(run.status == 0, "\(run)")
        let symbols = run.standardOutput
        #expect(symbols.contains("14TerminalClient"), "the symbol table does not look like the client's")
        for marker in Self.serverOnlySymbols {
            #expect(!symbols.contains(marker), "the client links \(marker)")
        }
    }
}
