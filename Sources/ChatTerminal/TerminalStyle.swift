/// ANSI colours and styles for the terminal client, or none at all (`NO_COLOR`, `--no-color`, not a terminal).
public struct TerminalStyle: Sendable {
    /// Whether any escape codes are written.
    public let isEnabled: Bool

    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    /// Colours that read well on both dark and light backgrounds.
    static let nicknamePalette: [Int] = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96]

    /// The same colour for the same nickname, every time and on every machine (FNV-1a of the lower-cased name).
    public static func colourCode(for nickname: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in nickname.lowercased().utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return Self.nicknamePalette[Int(hash % UInt32(Self.nicknamePalette.count))]
    }

    public func nickname(_ name: String) -> String {
        self.wrap(name, "1;\(Self.colourCode(for: name))")
    }

    public func dim(_ text: String) -> String { self.wrap(text, "2") }
    public func error(_ text: String) -> String { self.wrap(text, "1;31") }
    public func privateMessage(_ text: String) -> String { self.wrap(text, "35") }
    public func mention(_ text: String) -> String { self.wrap(text, "1;7") }
    public func welcome(_ text: String) -> String { self.wrap(text, "32") }

    private func wrap(_ text: String, _ code: String) -> String {
        self.isEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
