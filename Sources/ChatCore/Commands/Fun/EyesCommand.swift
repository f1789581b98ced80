import ChatProtocol

/// `/eyes` (the seeds' `/xeyes/`): eyes that look at whoever spoke last in the room.
public struct EyesCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "eyes",
        aliases: ["xeyes"],
        summary: "a pair of eyes looks at the last speaker"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let gaze: EyesArt.Gaze
        let caption: String
        if let (speaker, direction) = await context.hub.lastSpeaker(seenBy: context.session) {
            gaze = direction < 0 ? .left : direction > 0 ? .right : .straight
            caption = "looking at \(speaker)"
        } else {
            gaze = .straight
            caption = "nobody has said anything yet"
        }
        try await context.hub.postBlock(
            EyesArt.lines(gaze: gaze, caption: caption),
            command: self.descriptor.name,
            from: context.session,
            toRoom: true
        )
    }
}
