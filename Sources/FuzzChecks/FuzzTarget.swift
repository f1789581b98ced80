import ChatProtocol
import ChatTerminal

/// Every fuzz target: its name (the `Fuzz/Targets/NAME` and `Fuzz/corpus/NAME` directories, and the product
/// `FuzzNAME`) and the property check it runs on each input.
///
/// The fuzz executables and the corpus replay test both go through ``check(_:)``, so a finding that is fixed
/// stays fixed under a plain `swift test`.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case lineDecoder = "LineDecoder"
    case sanitizer = "Sanitizer"
    case commandLine = "CommandLine"
    case shellWords = "ShellWords"
    case keyDecoder = "KeyDecoder"
    case chatEventJSON = "ChatEventJSON"
    case pluginManifest = "PluginManifest"
    case ircMessage = "IRCMessage"

    /// The directory and product suffix.
    public var name: String { self.rawValue }

    /// Runs this target's property checks on one input.
    public func check(_ bytes: [UInt8]) throws {
        switch self {
        case .lineDecoder: try LineDecoderChecks.check(bytes)
        case .sanitizer: try SanitizerChecks.check(bytes)
        case .commandLine: try CommandLineChecks.check(bytes)
        case .shellWords: try ShellWordsChecks.check(bytes)
        case .keyDecoder: try KeyDecoderChecks.check(bytes)
        case .chatEventJSON: try ChatEventJSONChecks.check(bytes)
        case .pluginManifest: try PluginManifestChecks.check(bytes)
        case .ircMessage: try IRCMessageChecks.check(bytes)
        }
    }
}
