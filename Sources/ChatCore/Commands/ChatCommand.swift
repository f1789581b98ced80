/// A slash command: a self-describing value in the ``CommandRegistry``.
///
/// A command reports failure by throwing ``CommandError``; the dispatcher renders it once, as an `! ` line
/// to the caller. Output goes through the ``CommandContext``.
public protocol ChatCommand: Sendable {
    /// The name, aliases, usage and summary of this command.
    var descriptor: CommandDescriptor { get }

    /// Runs the command for the user in `context`.
    func run(_ invocation: CommandInvocation, in context: CommandContext) async throws
}
