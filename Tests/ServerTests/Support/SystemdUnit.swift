import Foundation

/// A systemd unit file read the way systemd reads it, enough to check its directives: `[Section]` headers,
/// `Key=value` lines, `#`/`;` comments, a trailing backslash continuing a line, and repeated keys kept in order
/// (an empty assignment resets a list, as `CapabilityBoundingSet=` does).
struct SystemdUnit {
    /// The repository's unit, `Scripts/slashchat.service`.
    static let repositoryFile: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ServerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("Scripts/slashchat.service")

    let text: String
    /// Every assignment per section, in file order.
    private(set) var sections: [String: [(key: String, value: String)]] = [:]

    init(text: String) {
        self.text = text
        var section = ""
        var pending = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine)
            if !pending.isEmpty {
                line = pending + " " + line.trimmingCharacters(in: .whitespaces)
                pending = ""
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasSuffix("\\") {
                pending = String(trimmed.dropLast())
                continue
            }
            if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast())
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            self.sections[section, default: []].append((key, value))
        }
    }

    init(contentsOf url: URL) throws {
        self.init(text: try String(contentsOf: url, encoding: .utf8))
    }

    /// Every value given to `key` in `section`, in order.
    func values(_ key: String, in section: String = "Service") -> [String] {
        (self.sections[section] ?? []).filter { $0.key == key }.map(\.value)
    }

    /// The value that wins for a single-valued `key`: the last one.
    func value(_ key: String, in section: String = "Service") -> String? {
        self.values(key, in: section).last
    }

    /// The words of a list-valued `key` after systemd's rules: assignments add up, an empty one resets.
    func list(_ key: String, in section: String = "Service") -> [String] {
        var words: [String] = []
        for value in self.values(key, in: section) {
            if value.isEmpty {
                words = []
            } else {
                words += value.split(separator: " ").map(String.init)
            }
        }
        return words
    }

    /// True when `key` is set to one of systemd's spellings of yes.
    func isEnabled(_ key: String, in section: String = "Service") -> Bool {
        ["yes", "true", "on", "1"].contains(self.value(key, in: section)?.lowercased() ?? "")
    }

    /// A `TimeoutStopSec=`-style time span (`15s`, `1min 30s`, `90`), in seconds.
    static func seconds(_ span: String) -> Double? {
        var total = 0.0
        let units: [(String, Double)] = [("min", 60), ("ms", 0.001), ("s", 1), ("h", 3600)]
        for part in span.split(separator: " ") {
            let part = String(part)
            if let number = Double(part) {
                total += number
                continue
            }
            guard let (unit, factor) = units.first(where: { part.hasSuffix($0.0) }),
                let number = Double(part.dropLast(unit.count))
            else { return nil }
            total += number * factor
        }
        return total
    }
}
