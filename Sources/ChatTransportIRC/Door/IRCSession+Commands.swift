import ChatCore
import ChatProtocol

/// What a registered client's messages do: IRC's commands by verb, and slashchat's commands sent as verbs.
extension IRCSession {
    func handle(_ message: IRCMessage) async -> ChatSession.Step {
        let parameters = message.parameters
        if message.command != "PRIVMSG", let id = self.sessionID {
            // Room lines are committed in groups, after this returns; everything else waits for the user's own lines
            // to be out, so answers come in the order of the commands (clients, irctest too, synchronise with PING).
            await self.hub.waitForOwnLines(id)
        }
        switch message.command {
        case "PRIVMSG", "NOTICE":
            return await self.send(message)
        case "JOIN":
            guard let channels = parameters.first else { return self.needMoreParameters(message.command) }
            await self.join(channels)
        case "PART":
            guard let channels = parameters.first else { return self.needMoreParameters(message.command) }
            await self.part(channels, reason: parameters.dropFirst().first)
        case "NICK":
            guard let candidate = parameters.first, !candidate.isEmpty else {
                self.reply("431", "No nickname given")
                return .goOn
            }
            await self.rename(to: candidate)
        case "QUIT":
            return await self.quit(reason: parameters.first.map(IRCFormatting.strip), saying: "Closing link: quit")
        case "PING":
            guard let token = parameters.first else { return self.needMoreParameters(message.command) }
            self.connection.send([
                IRCMessage(source: self.serverName, command: "PONG", parameters: [self.serverName, token])
            ])
        case "PONG":
            break
        case "CAP":
            if case .reply(let replies) = self.registration.receive(message) {
                self.connection.send(replies)
            }
            let enabled = self.registration.enabledCapabilities
            self.connection.configure { $0.apply(enabled) }
            self.capabilities = enabled
        case "USER", "PASS":
            self.reply("462", "You may not reregister")
        case "AUTHENTICATE":
            self.reply("907", "You have already authenticated using SASL")
        case "TOPIC":
            guard let channel = parameters.first else { return self.needMoreParameters(message.command) }
            await self.topic(of: channel, setTo: parameters.dropFirst().first)
        case "NAMES":
            await self.names(parameters.first)
        case "LIST":
            await self.list(parameters.first)
        case "WHO":
            guard let mask = parameters.first else { return self.needMoreParameters(message.command) }
            await self.who(mask, parameters.dropFirst().first)
        case "WHOIS":
            guard let target = parameters.last else { return self.needMoreParameters(message.command) }
            await self.whois(target)
        case "AWAY":
            await self.away(parameters.first.flatMap { $0.isEmpty ? nil : IRCFormatting.strip($0) })
        case "MODE":
            guard let target = parameters.first else { return self.needMoreParameters(message.command) }
            await self.mode(of: target, Array(parameters.dropFirst()))
        case "ISON":
            guard !parameters.isEmpty else { return self.needMoreParameters(message.command) }
            await self.ison(parameters)
        case "USERHOST":
            guard !parameters.isEmpty else { return self.needMoreParameters(message.command) }
            await self.userhost(parameters)
        case "MOTD":
            self.connection.send(self.welcome.motd(for: self.nickname))
        default:
            return await self.slashchatVerb(message)
        }
        return .goOn
    }

    /// 461 for `command`.
    func needMoreParameters(_ command: String) -> ChatSession.Step {
        self.reply("461", command, "Not enough parameters")
        return .goOn
    }

    /// A verb IRC does not know but slashchat does (irssi and HexChat send an unknown `/cowsay hi` as `COWSAY hi`):
    /// run as that command, in the channel in focus; 421 otherwise.
    private func slashchatVerb(_ message: IRCMessage) async -> ChatSession.Step {
        let name = message.command.lowercased()
        guard self.environment.registry.command(named: name) != nil else {
            self.reply("421", message.command, "Unknown command")
            return .goOn
        }
        let arguments = message.parameters.map(IRCFormatting.strip).joined(separator: " ")
        return await self.chat.chat("/\(name)" + (arguments.isEmpty ? "" : " \(arguments)"))
    }
}
