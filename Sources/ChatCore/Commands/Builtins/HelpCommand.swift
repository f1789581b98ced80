import ChatProtocol

/// `/help [command]`: generated from the registry, so every command (plugins too) is listed.
public struct HelpCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "help",
        aliases: ["?", "commands"],
        usage: "[command]",
        summary: "list the commands, or show how to use one"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        if let wanted = invocation.words.first {
            let name = wanted.hasPrefix("/") ? String(wanted.dropFirst()) : wanted
            guard let command = context.registry.command(named: name) else {
                throw CommandError.failed("There is no command /\(Sanitizer.clean(name)); type /help for the list.")
            }
            let descriptor = command.descriptor
            var lines = ["\(descriptor.synopsis) - \(descriptor.summary)"]
            if !descriptor.aliases.isEmpty {
                lines.append("also: " + descriptor.aliases.map { "/\($0)" }.joined(separator: ", "))
            }
            context.notices(lines)
            return
        }
        let descriptors = context.registry.descriptors
        let width = descriptors.map(\.synopsis.count).max() ?? 0
        var lines = ["Commands (the legacy form /name?args/ works too; start a message with // to send a /):"]
        for descriptor in descriptors {
            let padding = String(repeating: " ", count: width - descriptor.synopsis.count)
            lines.append("  \(descriptor.synopsis)\(padding)  \(descriptor.summary)")
        }
        context.notices(lines)
    }
}
