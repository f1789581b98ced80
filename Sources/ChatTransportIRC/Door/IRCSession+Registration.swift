import ChatCore
import ChatProtocol

/// Registration: the ``IRCRegistration`` dialogue, then the checks every door makes (the nickname free on every
/// door and node, a registered nickname's password through SASL PLAIN or PASS, counted by the shared login
/// slowdown), then the welcome.
extension IRCSession {
    func register(_ message: IRCMessage) async -> ChatSession.Step {
        switch self.registration.receive(message) {
        case .reply(let replies):
            self.connection.send(replies)
            return .goOn
        case .quit(let replies):
            self.connection.send(replies)
            await self.chat.quit(reason: nil)
            return .stop
        case .verifySASL(let credentials):
            return await self.verify(credentials)
        case .register(let request, let replies):
            self.connection.send(replies)
            return await self.complete(request)
        }
    }

    /// SASL PLAIN: the account's password, checked like any login.
    private func verify(_ credentials: IRCRegistration.Credentials) async -> ChatSession.Step {
        guard let nickname = try? Nickname(validating: credentials.account) else {
            self.saslVerdict(credentials, accepted: false)
            return .goOn
        }
        switch await self.chat.checkPassword(credentials.password, of: nickname) {
        case .right:
            self.saslAccount = nickname.key
            self.saslVerdict(credentials, accepted: true)
        case .wrong, .notRegistered:
            self.saslVerdict(credentials, accepted: false)
        case .tryAgain(let reason):
            self.notice(reason)
            self.saslVerdict(credentials, accepted: false)
        case .gone:
            return .stop
        }
        return .goOn
    }

    private func saslVerdict(_ credentials: IRCRegistration.Credentials, accepted: Bool) {
        if case .reply(let replies) = self.registration.saslVerified(credentials, accepted: accepted) {
            self.connection.send(replies)
        }
    }

    /// NICK and USER are in: join the chat as the nickname, or say why not (and wait for another NICK).
    private func complete(_ request: IRCRegistration.Request) async -> ChatSession.Step {
        let nickname = request.nickname
        var authenticated = self.saslAccount == nickname.key
        if !authenticated, let password = request.password {
            switch await self.chat.checkPassword(password, of: nickname) {
            case .right:
                authenticated = true
            case .wrong:
                self.reply("464", "Password incorrect")
                return await self.quit(reason: nil, saying: "Closing link: password incorrect")
            case .notRegistered:
                break  // A server password the client sends by habit: slashchat has none.
            case .tryAgain(let reason):
                self.notice(reason)
                self.reply("433", nickname.name, "Nickname cannot be checked now; try again")
                return .goOn
            case .gone:
                return .stop
            }
        }
        do {
            try await self.chat.register(as: nickname, authenticated: authenticated, entersLobby: false)
        } catch {
            let text = error.description
            if text.contains("banned") {
                return await self.quit(reason: nil, saying: "Closing link: \(text)")
            }
            self.reply("433", nickname.name, "Nickname is already in use")
            if text.contains("registered") {
                self.notice(
                    "\(nickname) is registered: log in with SASL PLAIN (account \(nickname), its password) or "
                        + "PASS before NICK, or choose another nickname."
                )
            } else if !text.contains("taken") {
                self.notice(text)
            }
            return .goOn
        }
        self.sessionID = self.chat.sessionID
        self.username = request.username
        self.realName = request.realName
        if let id = self.sessionID {
            await self.hub.setIRCIdentity(id, username: request.username, realName: request.realName)
        }
        self.capabilities = request.capabilities
        let capabilities = request.capabilities
        self.connection.configure { renderer in
            renderer.nickname = nickname.name
            renderer.serverName = self.serverName
            renderer.apply(capabilities)
        }
        self.connection.send(self.welcome.lines(for: nickname.name))
        if authenticated {
            self.reply("900", self.mask, nickname.name, "You are now logged in as \(nickname)")
        }
        await self.chat.catchUp()
        return .goOn
    }
}
