import Foundation
import NIOCore

/// How a connection wants its events: plain text lines (the default, what `nc` sees) or JSON lines.
///
/// A client switches with `/mode json` (or back with `/mode plain`), normally as its very first line, before
/// the nickname. In JSON mode every event is one ``ChatEvent`` object on one line.
public enum WireFormat: String, Sendable, CaseIterable {
    case plain
    case json

    /// Encodes `event` as the bytes to send, newline-terminated.
    public func encode(_ event: ChatEvent) -> ByteBuffer {
        switch self {
        case .plain:
            var buffer = ByteBuffer()
            for line in event.plainLines {
                buffer.writeString(line)
                buffer.writeInteger(UInt8(ascii: "\n"))
            }
            return buffer
        case .json:
            // Encoding a struct of strings cannot fail; a failure would be a programming error.
            var data = (try? JSONEncoder().encode(event)) ?? Data(#"{"type":"error","text":"encoding failed"}"#.utf8)
            data.append(UInt8(ascii: "\n"))
            return ByteBuffer(bytes: data)
        }
    }

    /// Decodes one JSON line sent by the server in structured mode.
    public static func decodeJSON(_ line: some StringProtocol) throws -> ChatEvent {
        try JSONDecoder().decode(ChatEvent.self, from: Data(line.utf8))
    }
}
