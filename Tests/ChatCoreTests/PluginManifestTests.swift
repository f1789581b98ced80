import ChatCore
import Foundation
import Testing

@Suite struct PluginManifestTests {
    func manifest(_ lines: String...) -> PluginManifest {
        self.manifest(lines: lines)
    }

    func manifest(lines: [String]) -> PluginManifest {
        PluginManifest(header: Data(lines.joined(separator: "\n").utf8))
    }

    @Test func readsEveryHeaderOfATypicalScript() {
        let manifest = self.manifest(
            "#!/bin/sh",
            "# usage: NdM",
            "# summary: roll dice, e.g. /roll 2d6",
            "# output: caller",
            "# timeout: 3",
            "echo 4"
        )
        #expect(manifest.usage == "NdM")
        #expect(manifest.summary == "roll dice, e.g. /roll 2d6")
        #expect(manifest.audience == .caller)
        #expect(manifest.timeoutSeconds == 3)
    }

    @Test(arguments: [
        "# summary: rolls dice",
        "// summary: rolls dice",
        "-- summary: rolls dice",
        "; summary: rolls dice",
        "#summary:rolls dice",
        "   #   summary  :   rolls dice   ",
        "\t// Summary: rolls dice",
        "# SUMMARY: rolls dice\r",
    ])
    func acceptsEveryCommentStyle(line: String) {
        #expect(self.manifest("#!/usr/bin/env lua", line).summary == "rolls dice")
    }

    @Test(arguments: ["description", "help"])
    func acceptsOtherNamesForTheSummary(key: String) {
        #expect(self.manifest("# \(key): rolls dice").summary == "rolls dice")
    }

    @Test func usesTheDefaultsWithoutHeaders() {
        let manifest = self.manifest("#!/bin/sh", "echo hello", "# a comment without a colon")
        #expect(manifest == PluginManifest())
        #expect(manifest.usage == "")
        #expect(manifest.summary == "a plugin")
        #expect(manifest.audience == .room)
        #expect(manifest.timeoutSeconds == 5)
    }

    @Test func usesTheDefaultsForAnEmptyOrBinaryFile() {
        #expect(PluginManifest(header: Data()) == PluginManifest())
        #expect(PluginManifest(header: Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0xFF])) == PluginManifest())
    }

    @Test(arguments: [
        "#!/usr/bin/env summary: not a header",
        "#!summary: not a header",
    ])
    func aShebangLineIsNotAHeader(line: String) {
        #expect(self.manifest(line).summary == "a plugin")
    }

    @Test(arguments: [
        ("caller", PluginManifest.Audience.caller),
        ("CALLER", .caller),
        ("room", .room),
        ("everyone", .room),
        ("", .room),
    ])
    func readsTheAudience(value: String, expected: PluginManifest.Audience) {
        #expect(self.manifest("# output: \(value)").audience == expected)
    }

    @Test(arguments: [
        ("3", 3),
        ("1", 1),
        ("10", 10),
        ("11", 10),
        ("3600", 10),
        ("3s", 3),
        ("0", 5),
        ("-2", 5),
        ("soon", 5),
        ("", 5),
    ])
    func readsTheTimeoutCappedAtTenSeconds(value: String, expected: Int) {
        #expect(self.manifest("# timeout: \(value)").timeoutSeconds == expected)
    }

    @Test func stripsControlCharactersFromHeaderValues() {
        let manifest = self.manifest(
            "# usage: \u{1B}[2JNICK\u{07}",
            "# summary: \u{1B}[31mred\u{1B}[0m dice\u{08}\u{08}\u{9B}1m!",
            "# output: cal\u{00}ler"
        )
        #expect(manifest.usage == "NICK")
        #expect(manifest.summary == "red dice!")
        #expect(manifest.audience == .caller)
    }

    @Test func anEmptySummaryKeepsTheDefault() {
        #expect(self.manifest("# summary:", "# summary:   ").summary == "a plugin")
    }

    @Test func capsTheLengthOfUsageAndSummary() {
        let manifest = self.manifest(
            "# usage: " + String(repeating: "u", count: 200),
            "# summary: " + String(repeating: "s", count: 200)
        )
        #expect(manifest.usage == String(repeating: "u", count: 80))
        #expect(manifest.summary == String(repeating: "s", count: 120))
    }

    @Test func readsOnlyTheFirstFortyLines() {
        let filler = Array(repeating: "echo filler", count: 39)
        #expect(self.manifest(lines: filler + ["# summary: the fortieth line"]).summary == "the fortieth line")
        #expect(self.manifest(lines: filler + ["echo 40", "# summary: too late"]).summary == "a plugin")
    }

    @Test func laterHeadersWin() {
        #expect(self.manifest("# summary: first", "# summary: second").summary == "second")
    }
}
