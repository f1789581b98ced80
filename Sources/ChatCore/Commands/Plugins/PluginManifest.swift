import ChatProtocol
import Foundation

/// What a plugin says about itself in header comments near the top of its file:
///
/// ```
/// #!/usr/bin/env python3
/// # usage: NdM
/// # summary: roll dice, e.g. /roll 2d6
/// # output: room
/// ```
///
/// Any of `#`, `//`, `--` or `;` starts a header comment, so plugins in most languages can carry one. `output` is
/// `room` (the default: everyone in the caller's room sees the block) or `caller` (only the caller does).
public struct PluginManifest: Sendable, Equatable {
    /// Where a plugin's output goes.
    public enum Audience: String, Sendable {
        case room
        case caller
    }

    public var usage = ""
    public var summary = "a plugin"
    public var audience = Audience.room
    /// Seconds before the run is killed (at most ten).
    public var timeoutSeconds = 5

    /// How much of the file is read for headers.
    static let headerBytes = 4096

    public init() {}

    /// Reads the headers from the beginning of `data`.
    public init(header data: Data) {
        self.init()
        let text = String(decoding: data.prefix(Self.headerBytes), as: UTF8.self)
        for rawLine in text.split(separator: "\n").prefix(40) {
            let line = rawLine.trimmingSpacesAndTabs()
            guard let body = ["#", "//", "--", ";"].lazy.compactMap({ Self.strip(prefix: $0, from: line) }).first,
                let colon = body.firstIndex(of: ":")
            else { continue }
            let key = body[..<colon].trimmingSpacesAndTabs().lowercased()
            let value = Sanitizer.clean(String(body[body.index(after: colon)...])).trimmingSpacesAndTabs()
            switch key {
            case "usage":
                self.usage = String(value.prefix(80))
            case "summary", "description", "help":
                if !value.isEmpty { self.summary = String(value.prefix(120)) }
            case "output":
                self.audience = Audience(rawValue: value.lowercased()) ?? .room
            case "timeout":
                if let seconds = Int(value.trimmingCharacters(in: .letters)), seconds > 0 {
                    self.timeoutSeconds = min(seconds, 10)
                }
            default:
                continue
            }
        }
    }

    private static func strip(prefix: String, from line: String) -> String? {
        guard line.hasPrefix(prefix), !line.hasPrefix("#!") else { return nil }
        return String(line.dropFirst(prefix.count))
    }
}
