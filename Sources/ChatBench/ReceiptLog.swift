import ChatProtocol

/// Everything a soak client noticed about what it received: each token in arrival order, and every line that a
/// terminal should never have been sent. Kept by ``BenchConnectionHandler`` when it is made for a soak.
struct ReceiptLog: Sendable {
    /// Token sequence numbers by sender, in the order they arrived (room messages and private messages alike).
    var sequencesBySender: [Int: [Int]] = [:]
    /// Lines received, and their bytes (without the `\n`).
    var lines = 0
    var bytes = 0
    /// Lines holding a control character other than TAB (C0, DEL, C1, a stray `\r`).
    var controlLines = 0
    /// Lines that are not valid UTF-8.
    var invalidUTF8Lines = 0
    /// The first offending line, escaped, for the report.
    var firstBadLine: String?
    /// Lines carrying a marker that must never be delivered (the over-long lines' marker).
    var forbiddenLines = 0
    /// `! ` lines: errors for this connection.
    var errorLines = 0
    /// `* Slow down: …` notices from flood control.
    var slowDownNotices = 0
    /// `* NICK ran /COMMAND` block headers.
    var blockHeaders = 0
    /// `[History] ` lines, which are replays and never count as deliveries.
    var historyLines = 0
    /// Nicknames whose departure was announced as `(dropped: not reading its messages)`.
    var droppedNicknames: [String] = []

    /// The `~ol…~` marker of a soak's over-long lines, which the server must discard.
    static func forbiddenMarker(run: String) -> [UInt8] {
        Array("~ol\(run)~".utf8)
    }

    /// Checks one raw line (everything before its `\n`, a `\r` included) for what must never reach a terminal.
    mutating func inspect(_ raw: UnsafeRawBufferPointer) {
        self.lines += 1
        self.bytes += raw.count
        let clean: Bool
        if let text = String(validating: raw, as: UTF8.self) {
            clean = !Sanitizer.containsControl(text)
        } else {
            self.invalidUTF8Lines += 1
            clean = !raw.contains { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }
            if self.firstBadLine == nil { self.firstBadLine = Self.escaped(raw) }
        }
        if !clean {
            self.controlLines += 1
            if self.firstBadLine == nil { self.firstBadLine = Self.escaped(raw) }
        }
    }

    /// Records what a complete line (its `\r\n` removed) says, other than a token.
    mutating func classify(_ line: UnsafeRawBufferPointer) {
        guard let first = line.first else { return }
        if first == UInt8(ascii: "!"), line.count > 1, line[1] == UInt8(ascii: " ") {
            self.errorLines += 1
        } else if first == UInt8(ascii: "*") {
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("* Slow down") {
                self.slowDownNotices += 1
            } else if text.contains(" ran /") {
                self.blockHeaders += 1
            } else if text.hasSuffix("(dropped: not reading its messages)") {
                let words = text.split(separator: " ")
                if words.count > 1 { self.droppedNicknames.append(String(words[1])) }
            }
        }
    }

    /// Records a token.
    mutating func record(sender: Int, sequence: Int) {
        self.sequencesBySender[sender, default: []].append(sequence)
    }

    /// `raw` with everything outside printable ASCII as `\xNN`, cut at 160 bytes.
    static func escaped(_ raw: UnsafeRawBufferPointer) -> String {
        var text = ""
        for byte in raw.prefix(160) {
            if (0x20..<0x7F).contains(byte), byte != UInt8(ascii: "\\") {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                text += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return raw.count > 160 ? text + "…" : text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
