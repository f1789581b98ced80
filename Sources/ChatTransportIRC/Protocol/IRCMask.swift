/// IRC's masks: `*` matches any run of characters, `?` any one, everything else itself without regard to ASCII case
/// (`CASEMAPPING=ascii`). WHO's `coolni*` and `*` are masks.
public enum IRCMask {
    /// Whether `pattern` holds a wildcard at all (a plain nickname is looked up, not matched).
    public static func isMask(_ pattern: String) -> Bool {
        pattern.contains("*") || pattern.contains("?")
    }

    /// Whether `text` matches `pattern` as a whole.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.lowercased().unicodeScalars)
        let text = Array(text.lowercased().unicodeScalars)
        // The classic two-pointer walk: on a mismatch, go back to the last `*` and let it swallow one more character.
        var (p, t) = (0, 0)
        var star: (pattern: Int, text: Int)?
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = (p, t)
                p += 1
            } else if let last = star {
                p = last.pattern + 1
                t = last.text + 1
                star = (last.pattern, last.text + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
