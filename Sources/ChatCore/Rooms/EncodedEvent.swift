import ChatProtocol
import NIOCore

/// An event encoded at most once per wire format, however many recipients it has.
///
/// Fan-out to a room shares the same bytes among all recipients (`ByteBuffer` is copy-on-write), so the cost of
/// rendering a message does not grow with the room.
struct EncodedEvent {
    let event: ChatEvent
    private var plain: ByteBuffer?
    private var json: ByteBuffer?

    init(_ event: ChatEvent) {
        self.event = event
    }

    mutating func bytes(for format: WireFormat) -> ByteBuffer {
        switch format {
        case .plain:
            if let plain { return plain }
            let bytes = format.encode(self.event)
            self.plain = bytes
            return bytes
        case .json:
            if let json { return json }
            let bytes = format.encode(self.event)
            self.json = bytes
            return bytes
        }
    }
}
