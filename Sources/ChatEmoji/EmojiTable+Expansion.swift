extension EmojiTable {
    /// The longest shortcode worth looking up; anything longer between two colons is just text.
    static let maximumShortcodeLength = 64

    /// Replaces every known `:shortcode:` in `text` with its emoji; unknown ones stay as typed.
    ///
    /// A colon that does not close a known shortcode may still open the next one, so `at 10:30 :tada:` and
    /// `:nope::tada:` both come out right.
    public func expand(_ text: String) -> String {
        guard text.contains(":") else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let open = rest.firstIndex(of: ":") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: ":") else {
                rest = rest[open...]
                break
            }
            let name = rest[afterOpen..<close]
            if !name.isEmpty, name.count <= Self.maximumShortcodeLength, !name.contains(" "),
                let emoji = self.emoji(for: name)
            {
                output += emoji
                rest = rest[rest.index(after: close)...]
            } else {
                // Not a shortcode: keep the opening colon and try again from the closing one.
                output += ":"
                rest = rest[afterOpen...]
                output += rest[..<close]
                rest = rest[close...]
            }
        }
        output += rest
        return output
    }
}
