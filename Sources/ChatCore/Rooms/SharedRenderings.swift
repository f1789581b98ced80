import ChatProtocol
import NIOCore

/// A batch of room lines rendered at most once per ``SharedRenderingKey``, however many members of a door share it:
/// each line on its own (for members who skip some: senders, ignore lists) and the whole batch in one buffer.
///
/// Only someone else's lines are the same for every recipient with a key, so a line is rendered by a member who did
/// not send it, and the whole batch by a member who sent none of it.
struct SharedRenderings {
    private let events: [ChatEvent]
    private var lines: [SharedRenderingKey: [ByteBuffer?]] = [:]
    private var wholes: [SharedRenderingKey: ByteBuffer] = [:]

    init(_ events: [ChatEvent]) {
        self.events = events
    }

    /// Line `index` as every recipient with `key` shows it; `recipient` (one of them, not its sender) renders it the
    /// first time.
    mutating func line(_ index: Int, _ key: SharedRenderingKey, by recipient: any ChatRecipient) -> ByteBuffer {
        if let rendered = self.lines[key]?[index] { return rendered }
        let rendered = recipient.render([self.events[index]])
        self.lines[key, default: Array(repeating: nil, count: self.events.count)][index] = rendered
        return rendered
    }

    /// The whole batch as every recipient with `key` shows it; `recipient` sent none of it.
    mutating func whole(_ key: SharedRenderingKey, by recipient: any ChatRecipient) -> ByteBuffer {
        if let whole = self.wholes[key] { return whole }
        let whole = recipient.render(self.events)
        self.wholes[key] = whole
        return whole
    }
}
