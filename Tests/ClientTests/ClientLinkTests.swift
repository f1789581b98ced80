import ChatTesting
import Foundation
import Testing

/// The `client` links the protocol and the terminal pieces only: no SQLite, no crypto, no subprocess code, which
/// belong to the server (the package's target graph says so; this checks the binary that came out of it).
@Suite(.enabled(if: ClientProcess.executable != nil, ClientProcess.missingExecutableComment))
struct ClientLinkTests {
    /// Symbols that only the server's store, password hashing and plugin runner bring in.
    static let serverOnlySymbols = ["sqlite3_open", "CCryptoBoringSSL", "10Subprocess", "ChatStoreSQLite", "8ChatCore"]

    @Test func theClientBinaryHoldsNoServerCode() async throws {
        let nm = ["/usr/bin/nm", "/opt/swift/usr/bin/llvm-nm"].first { FileManager.default.isExecutableFile(atPath: $0) }
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
