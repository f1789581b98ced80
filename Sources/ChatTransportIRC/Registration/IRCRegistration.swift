import ChatProtocol
import Foundation

/// The dialogue before an IRC client is registered: `CAP` negotiation, `PASS`, `NICK`, `USER` and SASL `PLAIN`, in
/// any order the clients use. A pure state machine: each message in gives the replies to send and, once `NICK` and
/// `USER` are in and capability negotiation is over, the registration to complete (``Step/register(_:)``). Whether
/// the nickname is free and whether a password is right is for the door to find out: this type never waits.
public struct IRCRegistration: Sendable {
    /// What the client asked to be registered as.
    public struct Request: Sendable, Equatable {
        public var nickname: Nickname
        public var username: String
        public var realName: String
        /// `PASS`, when given.
        public var password: String?
        /// SASL PLAIN's account and password, when the client authenticated that way.
        public var sasl: Credentials?
        /// The capabilities the client enabled.
        public var capabilities: Set<String>
    }

    /// An account and password from SASL PLAIN.
    public struct Credentials: Sendable, Equatable {
        public var account: String
        public var password: String

        public init(account: String, password: String) {
            self.account = account
            self.password = password
        }
    }

    /// What the door does after one message.
    public enum Step: Sendable, Equatable {
        /// Send these replies and wait for more.
        case reply([IRCMessage])
        /// Check these SASL credentials, then call ``saslVerified(_:)`` with the verdict.
        case verifySASL(Credentials)
        /// Registration is complete: send the replies, then register the user (or refuse them).
        case register(Request, replies: [IRCMessage])
        /// The client said QUIT: send the replies and close.
        case quit([IRCMessage])
    }

    /// The capabilities this server offers (`CAP LS`).
    public let offered: [String]
    /// The server's name, the source of its replies.
    public let serverName: String

    private var nickname: Nickname?
    private var user: (username: String, realName: String)?
    private var password: String?
    private var sasl: Credentials?
    private var enabled: Set<String> = []
    private var isNegotiating = false
    private var isAuthenticating = false
    private var saslBuffer = ""

    public init(offered: [String], serverName: String = "slashchat") {
        self.offered = offered
        self.serverName = serverName
    }

    /// The capabilities the client has enabled so far.
    public var enabledCapabilities: Set<String> { self.enabled }

    /// The nickname to address replies to: the one given so far, or `*`.
    public var target: String { self.nickname?.name ?? "*" }

    /// One message from the client.
    public mutating func receive(_ message: IRCMessage) -> Step {
        switch message.command {
        case "CAP": return self.capability(message.parameters)
        case "PASS":
            guard let password = message.parameters.first else { return .reply([self.needMoreParameters("PASS")]) }
            self.password = password
            return self.advance([])
        case "NICK":
            guard let candidate = message.parameters.first, !candidate.isEmpty else {
                return .reply([self.numeric("431", ["No nickname given"])])
            }
            do {
                self.nickname = try Nickname(validating: candidate)
            } catch {
                return .reply([self.numeric("432", [candidate, "Erroneous nickname: \(error)"])])
            }
            return self.advance([])
        case "USER":
            guard message.parameters.count >= 4, !message.parameters[0].isEmpty, !message.parameters[3].isEmpty else {
                return .reply([self.needMoreParameters("USER")])
            }
            self.user = (message.parameters[0], message.parameters[3])
            return self.advance([])
        case "AUTHENTICATE": return self.authenticate(message.parameters)
        case "PING":
            return .reply([
                IRCMessage(
                    source: self.serverName,
                    command: "PONG",
                    parameters: [self.serverName] + message.parameters.prefix(1)
                )
            ])
        case "PONG": return .reply([])
        case "QUIT":
            return .quit([IRCMessage(command: "ERROR", parameters: ["Closing link: quit"])])
        default:
            return .reply([self.numeric("451", ["You have not registered"])])
        }
    }

    /// The verdict on the credentials of ``Step/verifySASL(_:)``.
    public mutating func saslVerified(_ credentials: Credentials, accepted: Bool) -> Step {
        guard accepted else {
            return .reply([self.numeric("904", ["SASL authentication failed"])])
        }
        self.sasl = credentials
        return .reply([
            self.numeric(
                "900",
                [
                    "\(self.target)!\(credentials.account)@slashchat", credentials.account,
                    "You are now logged in as \(credentials.account)",
                ]
            ),
            self.numeric("903", ["SASL authentication successful"]),
        ])
    }

    // MARK: CAP

    private mutating func capability(_ parameters: [String]) -> Step {
        guard let subcommand = parameters.first?.uppercased() else { return .reply([self.needMoreParameters("CAP")]) }
        switch subcommand {
        case "LS":
            self.isNegotiating = true
            return .reply([self.cap("LS", self.offered.joined(separator: " "))])
        case "LIST":
            return .reply([self.cap("LIST", self.enabled.sorted().joined(separator: " "))])
        case "REQ":
            self.isNegotiating = true
            let requested = parameters.dropFirst().first ?? ""
            let changes = requested.split(separator: " ").map(String.init)
            // All or nothing (IRCv3): one unknown capability refuses the whole request.
            let known = changes.allSatisfy { self.offered.contains($0.hasPrefix("-") ? String($0.dropFirst()) : $0) }
            guard known, !changes.isEmpty else { return .reply([self.cap("NAK", requested)]) }
            for change in changes {
                if change.hasPrefix("-") {
                    self.enabled.remove(String(change.dropFirst()))
                } else {
                    self.enabled.insert(change)
                }
            }
            return .reply([self.cap("ACK", requested)])
        case "END":
            self.isNegotiating = false
            return self.advance([])
        default:
            return .reply([self.numeric("410", [subcommand, "Invalid CAP command"])])
        }
    }

    private func cap(_ subcommand: String, _ text: String) -> IRCMessage {
        IRCMessage(source: self.serverName, command: "CAP", parameters: [self.target, subcommand, text])
    }

    // MARK: SASL PLAIN

    private mutating func authenticate(_ parameters: [String]) -> Step {
        guard self.enabled.contains("sasl"), let argument = parameters.first else {
            return .reply([self.numeric("904", ["SASL authentication failed"])])
        }
        if argument == "*" {
            self.isAuthenticating = false
            self.saslBuffer = ""
            return .reply([self.numeric("906", ["SASL authentication aborted"])])
        }
        guard self.isAuthenticating else {
            guard argument.uppercased() == "PLAIN" else {
                return .reply([self.numeric("908", ["PLAIN", "are available SASL mechanisms"])])
            }
            self.isAuthenticating = true
            self.saslBuffer = ""
            return .reply([IRCMessage(command: "AUTHENTICATE", parameters: ["+"])])
        }
        // Base64 in chunks of 400; a shorter chunk (or `+` after a full one) ends it.
        if argument != "+" { self.saslBuffer += argument }
        guard argument.count < 400 else { return .reply([]) }
        self.isAuthenticating = false
        defer { self.saslBuffer = "" }
        guard self.saslBuffer.utf8.count <= 1024, let data = Data(base64Encoded: self.saslBuffer) else {
            return .reply([self.numeric("904", ["SASL authentication failed"])])
        }
        // authzid NUL authcid NUL password
        let fields = data.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard fields.count == 3, !fields[1].isEmpty else {
            return .reply([self.numeric("904", ["SASL authentication failed"])])
        }
        return .verifySASL(Credentials(account: fields[1], password: fields[2]))
    }

    // MARK: Completion

    /// Registers once NICK and USER are in and negotiation is over.
    private func advance(_ replies: [IRCMessage]) -> Step {
        guard !self.isNegotiating, let nickname = self.nickname, let user = self.user else { return .reply(replies) }
        let request = Request(
            nickname: nickname,
            username: user.username,
            realName: user.realName,
            password: self.password,
            sasl: self.sasl,
            capabilities: self.enabled
        )
        return .register(request, replies: replies)
    }

    private func numeric(_ code: String, _ parameters: [String]) -> IRCMessage {
        IRCMessage(source: self.serverName, command: code, parameters: [self.target] + parameters)
    }

    private func needMoreParameters(_ command: String) -> IRCMessage {
        self.numeric("461", [command, "Not enough parameters"])
    }
}
