import ChatTransportIRC

/// `IRCMessage` parsing and writing, on any bytes an IRC client could send as one line.
///
/// Properties:
/// - parsing is total: a message or a ``IRCMessage/ParseError``, never a crash;
/// - a parsed message, written back, is one line (no NUL, CR or LF) that parses to the same message (when it still
///   fits the size caps: a fifteenth parameter gains a `:`);
/// - a parsed message respects the caps: at most 15 parameters, a command of letters or three digits, upper-cased;
/// - any text survives a tag value's escaping: written as a tag and parsed back, it is the same text.
enum IRCMessageChecks {
    static func check(_ input: [UInt8]) throws {
        try Self.checkTagValue(input)
        try Self.checkRoundTrip(input)
    }

    private static func checkRoundTrip(_ input: [UInt8]) throws {
        if let message = try? IRCMessage(parsing: input) {
            try PropertyViolation.require(
                message.parameters.count <= IRCMessage.maximumParameters,
                "too many parameters"
            )
            try PropertyViolation.require(message.command == message.command.uppercased(), "command not upper-cased")
            let line = message.line
            try PropertyViolation.require(
                !line.utf8.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }),
                "\(message) written as more than one line: \(line.debugDescription)"
            )
            let again: IRCMessage
            do throws(IRCMessage.ParseError) {
                again = try IRCMessage(parsing: line)
            } catch .bodyTooLong, .tagsTooLong {
                // Written back a byte longer (a fifteenth parameter's `:`): past the cap, as the input nearly was.
                return
            } catch {
                throw PropertyViolation("\(message) written as \(line.debugDescription) does not parse: \(error)")
            }
            try PropertyViolation.require(
                again == message,
                "\(line.debugDescription) parses as \(again), not \(message)"
            )
        }
    }

    private static func checkTagValue(_ input: [UInt8]) throws {
        let text = String(decoding: input, as: UTF8.self)
        let tagged = IRCMessage(tags: [IRCMessage.Tag("k", text)], command: "PING")
        if text.utf8.count < 1000, let back = try? IRCMessage(parsing: tagged.line) {
            let expected: String? = text.isEmpty ? nil : text
            try PropertyViolation.require(
                back.tags == [IRCMessage.Tag("k", expected)],
                "the tag value \(text.debugDescription) came back as \(back.tags)"
            )
        }
    }
}
