import NIOCore

/// Makes untrusted text safe to show on somebody else's terminal.
///
/// Everything a user (or a plugin, or a server, for the client) sends passes through here before it reaches
/// another person: invalid UTF-8 becomes U+FFFD, and every control character, terminal escape sequence and
/// spoofing character (``isSpoofing(_:)``) is removed, so nobody can move a cursor, recolour, retitle or clear
/// another user's terminal, ring its bell, or make a line read differently from what it says. TAB is the one
/// control character kept.
///
/// Free text is cleaned; text that *names* something (a nickname, a room) must instead be refused when it held
/// anything this removes. ``markingRemovals(_:)`` serves that: it leaves a ``removalMarker`` where something was
/// removed, so a parser can tell which word was touched, and ``removingMarkers(_:)`` then gives the clean text.
public enum Sanitizer {
    /// Left by ``markingRemovals(_:)`` where something was removed: SUB, itself a control character, so it can
    /// never survive from the input and always means "removed here".
    public static let removalMarker: Unicode.Scalar = "\u{1A}"

    /// Decodes `bytes` as UTF-8 (replacing invalid sequences with U+FFFD) and strips controls.
    public static func text(from bytes: ByteBuffer) -> String {
        self.clean(String(decoding: bytes.readableBytesView, as: UTF8.self))
    }

    /// Returns `text` with control characters, whole escape sequences and spoofing characters removed.
    public static func clean(_ text: String) -> String {
        self.rewrite(text, marker: nil)
    }

    /// Like ``clean(_:)``, but leaves one ``removalMarker`` wherever a character or sequence was removed.
    public static func markingRemovals(_ text: String) -> String {
        self.rewrite(text, marker: Self.removalMarker)
    }

    /// Drops the markers ``markingRemovals(_:)`` left: the same text ``clean(_:)`` gives.
    public static func removingMarkers(_ text: String) -> String {
        guard self.containsMarker(text) else { return text }
        var output = String.UnicodeScalarView()
        output.append(contentsOf: text.unicodeScalars.lazy.filter { $0 != Self.removalMarker })
        return String(output)
    }

    /// True when `text` holds a ``removalMarker``, i.e. something was removed there.
    public static func containsMarker(_ text: String) -> Bool {
        text.utf8.contains(0x1A)
    }

    /// True for what is removed from user text: controls (``isControl(_:)``) and spoofing characters
    /// (``isSpoofing(_:)``).
    public static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        Self.isControl(scalar) || Self.isSpoofing(scalar)
    }

    /// True for U+0000-U+001F except TAB, U+007F and the C1 range U+0080-U+009F.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// True for the invisible characters that change how a line reads without showing themselves ("Trojan
    /// Source"): the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the bidi marks
    /// (U+200E, U+200F, U+061C), and the invisible zero-width space, word joiner, invisible operators and BOM
    /// (U+200B, U+2060-U+2064, U+FEFF).
    ///
    /// Kept on purpose: U+200D (zero-width joiner) and the variation selectors, which emoji sequences need, and
    /// U+200C (zero-width non-joiner), which Persian and Indic scripts need.
    public static func isSpoofing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0x200E, 0x200F, 0x061C: true
        case 0x200B, 0x2060...0x2064, 0xFEFF: true
        default: false
        }
    }

    /// True when `text` contains anything ``clean(_:)`` would remove.
    public static func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: Self.isRemoved)
    }

    /// The one pass behind ``clean(_:)`` and ``markingRemovals(_:)``.
    private static func rewrite(_ text: String, marker: Unicode.Scalar?) -> String {
        // Fast path: most chat lines are plain printable ASCII.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x09 }) {
            return text
        }
        if !text.unicodeScalars.contains(where: Self.isRemoved) {
            return text
        }
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:  // ESC: drop the whole sequence it introduces.
                marker.map { output.append($0) }
                Self.skipEscapeSequence(after: &scalars, output: &output)
            case 0x9B:  // C1 CSI, the 8-bit form of `ESC [`.
                marker.map { output.append($0) }
                Self.skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:  // C1 DCS, SOS, OSC, PM, APC: strings ended by ST or BEL.
                marker.map { output.append($0) }
                Self.skipControlString(&scalars)
            default:
                if !Self.isRemoved(scalar) {
                    output.append(scalar)
                } else if let marker {
                    output.append(marker)
                }
            }
        }
        return String(output)
    }

    private static func skipEscapeSequence(
        after scalars: inout String.UnicodeScalarView.Iterator,
        output: inout String.UnicodeScalarView
    ) {
        guard let introducer = scalars.next() else { return }
        switch introducer {
        case "[":  // CSI
            Self.skipControlSequence(&scalars)
        case "]", "P", "X", "^", "_":  // OSC, DCS, SOS, PM, APC
            Self.skipControlString(&scalars)
        case "\u{1B}":  // ESC ESC: the second one starts a new sequence.
            Self.skipEscapeSequence(after: &scalars, output: &output)
        default:
            // Two-character (and nF) sequences: intermediates 0x20-0x2F, then one final byte.
            var current = introducer
            while (0x20...0x2F).contains(current.value), let next = scalars.next() {
                current = next
            }
            // A final byte outside the escape range means the ESC stood alone: keep that character.
            if !(0x30...0x7E).contains(current.value), !(0x20...0x2F).contains(current.value),
                !Self.isRemoved(current)
            {
                output.append(current)
            }
        }
    }

    /// CSI: parameter and intermediate bytes, then one final byte in 0x40-0x7E.
    private static func skipControlSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) || !(0x20...0x3F).contains(scalar.value) {
                return
            }
        }
    }

    /// OSC/DCS and friends: anything up to BEL, ST (`ESC \`) or C1 ST (U+009C).
    private static func skipControlString(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x07, 0x9C:
                return
            case 0x1B:
                _ = scalars.next()  // the `\` of ST (or whatever follows; the string ends either way)
                return
            default:
                continue
            }
        }
    }
}
