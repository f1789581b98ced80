import Foundation
import Testing

@testable import FuzzChecks

/// Replays every committed seed and regression input (`Fuzz/corpus/TARGET/*`) through the same property checks
/// the fuzz targets run, so `swift test` catches a regression of any fuzzer finding without a sanitizer build.
@Suite struct FuzzCorpusTests {
    /// The repository's `Fuzz/corpus` directory, found from this file's path.
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusInputKeepsTheTargetsProperties(_ target: FuzzTarget) throws {
        let directory = Self.corpusDirectory.appendingPathComponent(target.name)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 5, "the \(target.name) corpus is nearly empty")
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            do {
                try target.check(bytes)
            } catch {
                Issue.record("\(target.name)/\(name): \(error)")
            }
        }
    }

    @Test func theSafetyCheckRejectsWhatCouldDriveATerminal() {
        for unsafe in ["\u{1B}[2J", "bell\u{07}", "\u{9B}31m", "a\u{7F}", "cr\r"] {
            #expect(throws: PropertyViolation.self) { try SanitizerChecks.requireSafe(unsafe, from: []) }
        }
        #expect(throws: Never.self) { try SanitizerChecks.requireSafe("tab\tand émoji 🎉", from: []) }
    }

    @Test func theLineDecoderModelFollowsTheReadme() {
        let stream = Array("ok\r\ntoo long\n\r\nabc\r".utf8)[...]
        #expect(
            LineDecoderChecks.model(stream, cap: 3) == [
                .line(Array("ok".utf8)), .tooLong, .line([]), .line(Array("abc".utf8)),
            ]
        )
    }

    @Test func chunkingsCoverTheWholeStreamInOrder() {
        let bytes = Array(0..<200).map { UInt8($0) }[...]
        for chunks in Chunking.variants(of: bytes) {
            #expect(Array(chunks.joined()) == Array(bytes))
            #expect(chunks.allSatisfy { !$0.isEmpty })
        }
    }
}
