import NIOCore

/// Makes untrusted text safe to show on somebody else's terminal.
///
/// Everything a user (or a plugin, or a server, for the client) sends passes through here before it reaches
/// another person: invalid UTF-8 becomes U+FFFD, and every control character and terminal escape sequence is
/// removed, so nobody can move a cursor, recolour, retitle or clear another user's terminal, or ring its bell.
/// TAB is the one control character kept.
public enum Sanitizer {
    /// Decodes `bytes` as UTF-8 (replacing invalid sequences with U+FFFD) and strips controls.
    public static func text(from bytes: ByteBuffer) -> String {
        self.clean(String(decoding: bytes.readableBytesView, as: UTF8.self))
    }

    /// Returns `text` with control characters and whole escape sequences removed.
    public static func clean(_ text: String) -> String {
        // Fast path: most chat lines are plain printable text.
        if !text.unicodeScalars.contains(where: Self.isControl) {
            return text
        }
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:  // ESC: drop the whole sequence it introduces.
                Self.skipEscapeSequence(after: &scalars, output: &output)
            case 0x9B:  // C1 CSI, the 8-bit form of `ESC [`.
                Self.skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:  // C1 DCS, SOS, OSC, PM, APC: strings ended by ST or BEL.
                Self.skipControlString(&scalars)
            default:
                if !Self.isControl(scalar) {
                    output.append(scalar)
                }
            }
        }
        return String(output)
    }

    /// True for U+0000-U+001F except TAB, U+007F and the C1 range U+0080-U+009F.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// True when `text` contains anything ``clean(_:)`` would remove.
    public static func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: Self.isControl)
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
                !Self.isControl(current)
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
