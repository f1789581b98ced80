import ChatCore
import ChatProtocol
import ChatTerminal
import Foundation
import NIOCore

/// The client's decoding of a structured-mode line (`WireFormat.decodeJSON`) and what it then prints.
///
/// Properties, for every line that decodes as an event:
/// - encoding it (`WireFormat.json.encode`) gives one line: a single `\n`, at the end, and no other byte below 0x20
///   (JSON escapes those; DEL and C1 may stay raw inside a string, which JSON allows and every reader sanitises);
/// - that line decodes to the same event, and so does its encoding (decode, encode, decode is stable; the bytes
///   may differ, JSONEncoder's key order is not fixed);
/// - `EventFormatter`'s lines for it, with colour off, contain nothing the sanitiser would remove; with colour on,
///   the only escapes are the formatter's own SGR sequences (`ESC [ digits ; m`): a hostile server cannot drive
///   the terminal.
enum ChatEventJSONChecks {
    static func check(_ input: [UInt8]) throws {
        let line = String(decoding: input, as: UTF8.self)
        guard let event = try? WireFormat.decodeJSON(line) else { return }
        let encoded = Array(WireFormat.json.encode(event).readableBytesView)
        try PropertyViolation.require(
            encoded.last == 0x0A && !encoded.dropLast().contains(where: { $0 < 0x20 }),
            "\(event) encodes with a control byte: \(String(decoding: encoded, as: UTF8.self).debugDescription)"
        )
        let encodedLine = String(decoding: encoded.dropLast(), as: UTF8.self)
        let decoded: ChatEvent
        do {
            decoded = try WireFormat.decodeJSON(encodedLine)
        } catch {
            throw PropertyViolation(
                "\(event) encodes as \(encodedLine.debugDescription), which does not decode: \(error)"
            )
        }
        try PropertyViolation.require(decoded == event, "\(event) comes back as \(decoded)")
        // Not byte for byte: JSONEncoder's key order differs from run to run (and nothing relies on it).
        let reencoded = String(decoding: WireFormat.json.encode(decoded).readableBytesView.dropLast(), as: UTF8.self)
        try PropertyViolation.require(
            (try? WireFormat.decodeJSON(reencoded)) == event,
            "\(event) does not survive a second encoding: \(reencoded.debugDescription)"
        )

        for me in ["bob", event.from ?? "", event.to ?? ""] {
            let plain = EventFormatter(style: TerminalStyle(isEnabled: false), showsTimestamps: true)
            for printed in plain.format(event, myNickname: me).lines {
                try SanitizerChecks.requireSafe(printed, from: input)
            }
            let coloured = EventFormatter(style: TerminalStyle(isEnabled: true), showsTimestamps: false)
            for printed in coloured.format(event, myNickname: me).lines {
                try SanitizerChecks.requireSafe(Self.withoutSGR(printed), from: input)
            }
        }
    }

    /// `text` without `ESC [ params m` sequences (params digits and `;`).
    static func withoutSGR(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\u{1B}", scalars.first == "[" {
                var rest = scalars.dropFirst()
                while let next = rest.first, next.properties.numericType == .decimal || next == ";", next.isASCII {
                    rest = rest.dropFirst()
                }
                if rest.first == "m" {
                    scalars = rest.dropFirst()
                    continue
                }
            }
            output.append(scalar)
        }
        return String(output)
    }
}
