import ChatProtocol

/// `/fortune`, `/figlet TEXT`, `/toilet TEXT`: registered only when the program is on PATH.
public struct ToolCommand: ChatCommand {
    public let descriptor: CommandDescriptor
    let executable: String
    let takesText: Bool
    let roomCooldown: Duration?

    /// The PATH-tool commands for the tools in `tools`.
    public static func available(in tools: ExternalTools) -> [ToolCommand] {
        var commands: [ToolCommand] = []
        if let path = tools.path(of: "fortune") {
            commands.append(
                ToolCommand(
                    descriptor: CommandDescriptor(name: "fortune", summary: "a fortune cookie for the room"),
                    executable: path,
                    takesText: false,
                    roomCooldown: nil
                )
            )
        }
        for (tool, summary) in [("figlet", "TEXT in big letters"), ("toilet", "TEXT in big, fancy letters")] {
            if let path = tools.path(of: tool) {
                commands.append(
                    ToolCommand(
                        descriptor: CommandDescriptor(name: tool, usage: "TEXT", summary: summary),
                        executable: path,
                        takesText: true,
                        roomCooldown: .seconds(5)
                    )
                )
            }
        }
        return commands
    }

    /// The longest text the banner tools are given: a screen's width of big letters is plenty.
    static let maximumTextLength = 40

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        var arguments: [String] = []
        if self.takesText {
            let text = invocation.words.joined(separator: " ")
            guard !text.isEmpty else { throw CommandError.usage(self.descriptor) }
            guard text.count <= Self.maximumTextLength else {
                throw CommandError.failed(
                    "/\(self.descriptor.name) takes at most \(Self.maximumTextLength) characters."
                )
            }
            // `--` so text starting with `-` is text, not an option.
            arguments = ["--", text]
        } else if !invocation.arguments.isEmpty {
            throw CommandError.usage(self.descriptor)
        }
        try await context.runExternal(
            invocation,
            executable: self.executable,
            arguments: arguments,
            toRoom: true,
            roomCooldown: self.roomCooldown
        )
    }
}
