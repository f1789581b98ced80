/// What decides how a recipient that renders events (``ChatRecipient/rendersEvents``) shows a room line sent by
/// someone else: its door and the options its client turned on, never who it is. Recipients with equal keys show
/// such a line as the same bytes, so fan-out renders each line once per key and shares them, as it encodes once per
/// wire format for the plain and JSON protocols (rendering a line per IRC member was the door's whole cost: it
/// delivered a fifth of what the plain port did, and dropped readers while the hub rendered).
public struct SharedRenderingKey: Hashable, Sendable {
    /// The door whose dialect it is (`irc`).
    public let door: String
    /// The door's own encoding of the options that change the bytes (IRC's `server-time` tags).
    public let variant: Int

    public init(door: String, variant: Int) {
        self.door = door
        self.variant = variant
    }
}
