import ChatProtocol

/// A slash command: a self-describing value in the ``CommandRegistry``.
///
/// A command reports failure by throwing ``CommandError``; the dispatcher renders it once, as an `! ` line
/// to the caller. Output goes through the ``CommandContext``.
public protocol ChatCommand: Sendable {
    /// The name, aliases, usage and summary of this command.
    var descriptor: CommandDescriptor { get }

    /// Runs the command for the user in `context`.
    func run(_ invocation: CommandInvocation, in context: CommandContext) async throws

    /// Runs the command for a connection that has not joined yet. Called only when the descriptor says
    /// ``CommandDescriptor/isAvailableBeforeJoining``.
    func runBeforeJoining(_ invocation: CommandInvocation, on connection: ConnectionState) async throws
}

extension ChatCommand {
    /// Commands need a joined caller unless they say otherwise.
    public func runBeforeJoining(_ invocation: CommandInvocation, on connection: ConnectionState) async throws {
        throw CommandError.failed("Choose a nickname first; commands work once you have joined.")
    }
}
