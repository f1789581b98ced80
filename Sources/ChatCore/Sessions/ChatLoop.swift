import ChatProtocol
import Logging

/// The chat once a session has joined: one line at a time, posted as a message, split into a message and the
/// legacy commands riding inside it, or run as a command.
///
/// Plain messages are posted without waiting for their commit (the hub batches them); anything else waits until
/// this client's messages are out, so everything it causes happens in the order it typed it. Flood control and
/// `/quit` are ``ChatSession``'s, shared with the questions before joining.
final class ChatLoop {
    /// What became of a line.
    enum Outcome: Equatable {
        /// Posted as a room message, not yet known to be delivered; nothing else to do.
        case posted
        /// Handled to the end (a command, a message with commands, an error): a `/quit` may now be pending.
        case handled
    }

    let context: CommandContext
    private let environment: SessionEnvironment
    private var unsettledLines = UnsettledLines()

    private var recipient: any ChatRecipient { self.context.connection.recipient }
    private var hub: ChatHub { self.environment.hub }
    private var registry: CommandRegistry { self.environment.registry }

    init(context: CommandContext, environment: SessionEnvironment) {
        self.context = context
        self.environment = environment
    }

    /// One line of the chat, already decoded; nil when it was over the length cap.
    func handle(_ line: String?) async -> Outcome {
        let id = self.context.session
        // Marked rather than cleaned, so a command can refuse a name that held control characters.
        let parsed = line.map { ParsedLine(Sanitizer.markingRemovals($0)) }
        let posted: RoomLineTicket? =
            switch parsed {
            case .message(let text): await self.post(text, as: id)
            case .literal(let text): await self.hub.post(text, kind: .message, from: id)
            default: nil
            }
        if let ticket = posted {
            if self.unsettledLines.posted() {
                await self.hub.waitForDelivery(of: ticket)
                self.unsettledLines.settled()
            }
            return .posted
        }
        if self.unsettledLines.any {
            await self.hub.waitForOwnLines(id)
            self.unsettledLines.settled()
        }
        switch parsed {
        case nil:
            self.recipient.send(ChatSession.lineTooLong(self.environment.configuration))
        case .message(let text):
            await self.sayWithEmbeddedCommands(text)
        case .literal:
            break  // Nothing to post (the hub ignores an empty line).
        case .missingCommandName:
            self.recipient.send(.error("A command needs a name after the /; type /help for the list (// sends a /)."))
        case .command(let invocation):
            await self.dispatch(invocation)
        }
        return .handled
    }

    /// Posts a plain room message without waiting for it; nil (nothing posted) when the line needs more than
    /// that: the emoji help, or legacy commands riding inside it. `text` may carry removal markers.
    private func post(_ text: String, as id: SessionID) async -> RoomLineTicket? {
        guard !Self.isEmojiHelp(text) else { return nil }
        let (clean, commands) = EmbeddedCommands.extract(from: text) { self.registry.command(named: $0) != nil }
        guard commands.isEmpty else { return nil }
        return await self.hub.post(clean, kind: .message, from: id)
    }

    /// Whether a message is the old way of asking for the emoji help.
    static func isEmojiHelp(_ text: String) -> Bool {
        text.trimmingSpacesAndTabs().lowercased() == "emoji -help"
    }

    /// A room message, emoji expanded. The seeds let legacy commands ride inside a message
    /// (`:tada: /cowsay?Hello/`): the text goes to the room first, then each embedded command runs.
    private func sayWithEmbeddedCommands(_ text: String) async {
        if Self.isEmojiHelp(text) {
            self.recipient.send(.notice("Emoji: type shortcodes like :tada: in any message; /emoji [word] lists them."))
            return
        }
        let (remainingText, commands) = EmbeddedCommands.extract(from: text) { self.registry.command(named: $0) != nil }
        await self.hub.say(remainingText, from: self.context.session)
        for invocation in commands {
            await self.dispatch(invocation)
        }
    }

    /// One look-up, one run; a failure becomes one `! ` line for the caller.
    private func dispatch(_ invocation: CommandInvocation) async {
        guard let command = self.registry.command(named: invocation.name) else {
            self.recipient.send(.error("Unknown command /\(invocation.name); type /help for the list."))
            return
        }
        do {
            try await command.run(invocation, in: self.context)
        } catch {
            self.recipient.send(.error(Self.describe(error, of: invocation)))
            if !(error is CommandError) {
                self.environment.logger.error(
                    "command failed",
                    metadata: ["command": "\(invocation.name)", "error": "\(error)"]
                )
            }
        }
    }

    /// What the caller hears when a command fails: its own words for a ``CommandError``, a plain apology otherwise.
    static func describe(_ error: any Error, of invocation: CommandInvocation) -> String {
        (error as? CommandError)?.description ?? "/\(invocation.name) failed unexpectedly."
    }
}

@available(*, unavailable)
extension ChatLoop: Sendable {}
