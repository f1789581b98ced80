import ChatCore
import ChatProtocol
import Foundation
import NIOCore

/// One IRC client from its first line to its last: registration (``IRCRegistration``), then IRC's commands, each
/// turned into what the chat does for every door. The chat's rules come from a ``ChatSession`` driven through its
/// entry points for doors with a registration of their own: admission, flood control (every line, whatever its
/// command), the login slowdown, joining, and slashchat's commands, so an IRC user is held to exactly what an `nc`
/// user is.
final class IRCSession: LineSession {
    /// The capabilities this door offers (`CAP LS`).
    static let capabilities = [
        "echo-message", "message-tags", "multi-prefix", "sasl", "server-time", "userhost-in-names",
    ]

    let chat: ChatSession
    let connection: IRCConnection
    let environment: SessionEnvironment
    let welcome: IRCWelcome
    let liveness: IRCLiveness
    /// The dialogue before registration, kept afterwards for `CAP` (capabilities may change at any time).
    var registration: IRCRegistration
    /// The account SASL PLAIN proved, by key.
    var saslAccount: String?
    /// Set once registered: the user's place in the hub.
    var sessionID: SessionID?
    /// USER's user name and real name, for WHO and WHOIS.
    var username = ""
    var realName = ""
    /// User mode `+i`, as the hub knows it too (WHO by mask).
    var isInvisible = false
    /// The capabilities the client enabled (CAP REQ), as the renderer follows them too.
    var capabilities: Set<String> = []
    /// `userhost-in-names`: NAMES lists `nick!user@host`.
    var showsHostsInNames: Bool { self.capabilities.contains("userhost-in-names") }
    /// `multi-prefix`: NAMES and WHO show every prefix a member has (`@+`), not only the highest.
    var showsAllPrefixes: Bool { self.capabilities.contains("multi-prefix") }

    var hub: ChatHub { self.environment.hub }
    var serverName: String { self.welcome.serverName }
    var nickname: String { self.connection.nickname }

    init(endpoint: SessionEndpoint, connection: IRCConnection, environment: SessionEnvironment, welcome: IRCWelcome) {
        self.chat = ChatSession(endpoint: endpoint, environment: environment)
        self.connection = connection
        self.environment = environment
        self.welcome = welcome
        self.registration = IRCRegistration(offered: Self.capabilities, serverName: welcome.serverName)
        self.liveness = IRCLiveness(
            eventLoop: endpoint.eventLoop,
            connection: connection,
            serverName: welcome.serverName
        )
    }

    // MARK: LineSession

    func open() async -> Bool {
        guard await self.chat.admitForOwnRegistration() else { return false }
        self.liveness.start()
        return true
    }

    func receive(_ inbound: InboundLine) async -> ChatSession.Step {
        self.liveness.heard()
        guard await self.chat.waitForFloodControl() else { return .stop }
        let message: IRCMessage
        switch inbound {
        case .tooLong:
            self.reply("417", "Input line was too long")
            return .goOn
        case .line(let bytes):
            do {
                message = try IRCMessage(parsing: Array(bytes.readableBytesView))
            } catch .empty {
                return .goOn
            } catch .bodyTooLong, .tagsTooLong {
                self.reply("417", "Input line was too long")
                return .goOn
            } catch {
                self.reply("421", "*", "Unknown command (\(error))")
                return .goOn
            }
        }
        if self.sessionID == nil {
            return await self.register(message)
        }
        return await self.handle(message)
    }

    func finish(_ end: ChatSession.InputEnd) async {
        self.liveness.stop()
        await self.chat.finish(end)
    }

    // MARK: Replies

    /// A numeric reply to this client: `:server CODE NICK PARAMETERS...`.
    func reply(_ code: String, _ parameters: String...) {
        self.connection.send([self.numeric(code, parameters)])
    }

    func numeric(_ code: String, _ parameters: [String]) -> IRCMessage {
        IRCMessage(source: self.serverName, command: code, parameters: [self.registeredTarget] + parameters)
    }

    /// The nickname replies are addressed to, `*` before registration.
    var registeredTarget: String {
        self.sessionID == nil ? "*" : self.nickname
    }

    /// A NOTICE from the server to this client.
    func notice(_ text: String) {
        self.connection.send([
            IRCMessage(source: self.serverName, command: "NOTICE", parameters: [self.registeredTarget, text])
        ])
    }

    /// `nick!user@slashchat`: this client as the source of what it does.
    var mask: String { IRCRenderer.mask(self.nickname) }

    /// Closes with IRC's `ERROR` line and leaves with `reason`.
    func quit(reason: String?, saying error: String) async -> ChatSession.Step {
        self.connection.send([IRCMessage(command: "ERROR", parameters: [error])])
        await self.chat.quit(reason: reason)
        return .stop
    }
}

@available(*, unavailable)
extension IRCSession: Sendable {}
