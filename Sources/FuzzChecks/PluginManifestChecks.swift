import ChatCore
import Foundation

/// `PluginManifest(header:)` on arbitrary file contents.
///
/// Properties: parsing is total and deterministic; the usage (at most 80 characters) and the summary (non-empty,
/// at most 120) contain nothing the sanitiser would remove, so `/help` never prints a plugin's control characters;
/// the timeout is 1-10 seconds.
enum PluginManifestChecks {
    static func check(_ input: [UInt8]) throws {
        let manifest = PluginManifest(header: Data(input))
        try PropertyViolation.require(manifest == PluginManifest(header: Data(input)), "not deterministic")
        try PropertyViolation.require(manifest.usage.count <= 80, "usage too long: \(manifest.usage.debugDescription)")
        try PropertyViolation.require(
            !manifest.summary.isEmpty && manifest.summary.count <= 120,
            "bad summary length: \(manifest.summary.debugDescription)"
        )
        try SanitizerChecks.requireSafe(manifest.usage, from: input)
        try SanitizerChecks.requireSafe(manifest.summary, from: input)
        try PropertyViolation.require((1...10).contains(manifest.timeoutSeconds), "timeout \(manifest.timeoutSeconds)")
    }
}
