import Logging
import ServiceLifecycle

/// The server's stdin: a plain line is announced to everyone as `* server: TEXT`; a few words are commands.
///
/// stdin at EOF (or not a terminal, as under systemd or in CI) just ends the console; the server runs on until
/// it is told to stop.
public struct AdminConsole: Service {
    private let hub: ChatHub
    private let plugins: PluginDirectory?
    private let input: AsyncStream<String>
    private let output: @Sendable (String) -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - input: the console's lines (``StandardInput/lines()`` in the real server).
    ///   - output: where answers go (stdout in the real server).
    public init(
        hub: ChatHub,
        plugins: PluginDirectory? = nil,
        input: AsyncStream<String>,
        logger: Logger,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.hub = hub
        self.plugins = plugins
        self.input = input
        self.logger = logger
        self.output = output
    }

    /// Reads commands until stdin ends or `shutdown` is typed. Returning from `shutdown` is what stops the server:
    /// the service group is configured to shut down gracefully when this service finishes.
    public func run() async throws {
        for await line in self.input.cancelOnGracefulShutdown() {
            // Marked, not cleaned: a nickname given to kick or ban must be refused, not changed, when it held
            // control characters.
            let marked = Sanitizer.markingRemovals(line).trimmingSpacesAndTabs()
            if Sanitizer.removingMarkers(marked).isEmpty { continue }
            if await self.handle(marked) == .stop {
                return
            }
        }
        // stdin is gone; that is not a reason to stop. Wait for a signal instead.
        try await gracefulShutdown()
    }

    private func moderate(_ action: String, _ nickname: String) async {
        switch action {
        case "kick":
            let kicked = await self.hub.kick(nickname, reason: "kicked by the server")
            self.output(kicked ? "kicked \(nickname)" : "nobody called \(nickname) is online")
        default:
            guard let store = self.hub.persistence?.store else {
                self.output("this server keeps no accounts")
                return
            }
            let banned = action == "ban"
            do {
                guard try await store.setBanned(banned, nickname: nickname) else {
                    self.output("\(nickname) is not registered; only registered nicknames can be banned")
                    return
                }
            } catch {
                self.output("could not \(action) \(nickname): \(error)")
                return
            }
            if banned {
                await self.hub.kick(nickname, reason: "banned")
            }
            self.output(banned ? "banned \(nickname)" : "unbanned \(nickname)")
            self.logger.notice("\(action)", metadata: ["nickname": "\(nickname)"])
        }
    }

    private enum Outcome {
        case keepGoing
        case stop
    }

    /// Acts on one console line, given with the sanitizer's removal markers.
    private func handle(_ marked: String) async -> Outcome {
        let text = Sanitizer.removingMarkers(marked)
        let markedWords = (marked.hasPrefix("/") ? marked.dropFirst() : Substring(marked)).split(separator: " ")
        if markedWords.count == 2, ["kick", "ban", "unban"].contains(markedWords[0].lowercased()) {
            guard !Sanitizer.containsMarker(String(markedWords[1])) else {
                self.output("a nickname cannot contain control characters, escape sequences or invisible characters")
                return .keepGoing
            }
            await self.moderate(markedWords[0].lowercased(), String(markedWords[1]))
            return .keepGoing
        }
        let command = text.hasPrefix("/") ? String(text.dropFirst()) : text
        switch command.lowercased() {
        case "shutdown", "quit", "stop":
            self.logger.notice("shutdown requested from the console")
            return .stop
        case "help":
            self.output(
                """
                Console commands:
                  TEXT       announce TEXT to everyone as "* server: TEXT"
                  who        list connected users
                  reload     look at the plugin folder now (it is also watched every second)
                  kick NICK  disconnect NICK
                  ban NICK   ban a registered nickname (and disconnect it)
                  unban NICK lift a ban
                  help       this list
                  shutdown   tell everyone, close all connections and exit (also on SIGTERM/SIGINT)
                """
            )
        case "who", "users":
            let users = await self.hub.connectedUsers()
            self.output(users.isEmpty ? "nobody is connected" : users.map { "\($0.nickname) in \($0.room) from \($0.address)" }.joined(separator: "\n"))
        case "reload":
            guard let plugins = self.plugins else {
                self.output("no plugin folder")
                break
            }
            let changes = plugins.rescan()
            let failures = plugins.failures.map { "\($0.name): \($0.reason)" }
            self.output(
                "plugins: \(plugins.loadedNames.joined(separator: ", "))"
                    + (changes.added.isEmpty ? "" : "; reloaded \(changes.added.joined(separator: ", "))")
                    + (changes.removed.isEmpty ? "" : "; removed \(changes.removed.joined(separator: ", "))")
                    + (failures.isEmpty ? "" : "; not loaded: \(failures.joined(separator: "; "))")
            )
        default:
            await self.hub.announce(text)
            self.logger.info("announcement", metadata: ["text": "\(text)"])
        }
        return .keepGoing
    }
}

extension AdminConsole: CustomStringConvertible {
    public var description: String { "AdminConsole" }
}
