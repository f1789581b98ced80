import ChatProtocol
import Logging

/// A session driven by a door whose protocol registers users itself (IRC: `NICK`, `USER`, `PASS`, SASL) and names
/// the room of each line (`PRIVMSG #room`): the door speaks its protocol and comes here for the chat's rules, so
/// admission, flood control, the login slowdown, joining and the commands stay the ones every door has.
extension ChatSession {
    /// How a password check for a door's own login ended.
    public enum PasswordCheck: Sendable, Equatable {
        /// The password is the nickname's: ``register(as:authenticated:entersLobby:)`` may go on, authenticated.
        case right
        /// Wrong, and counted towards the slowdown of further guesses.
        case wrong
        /// The nickname is not registered: there is nothing to check.
        case notRegistered
        /// Not checked now, for the reason given (the store is down, another check is running); nothing counted.
        case tryAgain(String)
        /// The client left while waiting.
        case gone
    }

    /// Lets the connection in without the greeting or the nickname question; the door registers the user itself
    /// within `--nickname-timeout` (the nickname question's clock). False when refused: the client was told why
    /// (as an `! ` error event) and the connection closed.
    public func admitForOwnRegistration() async -> Bool {
        guard await self.admit() else { return false }
        self.timeouts.startNicknameTimer(after: self.configuration.nicknameTimeout)
        return true
    }

    /// Checks `password` for the registered `nickname` with the brute-force slowdown every door's logins share.
    public func checkPassword(_ password: String, of nickname: Nickname) async -> PasswordCheck {
        let account: Account?
        do {
            account = try await self.registeredAccount(for: nickname)
        } catch {
            return .tryAgain(error.description)
        }
        guard let account else { return .notRegistered }
        let recipient = self.recipient
        switch await self.hub.accountLimits.login.check(
            password,
            against: account.passwordHash,
            nickname: account.nickname,
            address: self.endpoint.peer.key,
            isGone: { recipient.isGone }
        ) {
        case .right: return .right
        case .gone: return .gone
        case .tryAgain(let reason): return .tryAgain(reason)
        case .wrong:
            self.logger.notice(
                "wrong password",
                metadata: ["nickname": "\(account.nickname)", "peer": "\(self.endpoint.address)"]
            )
            return .wrong
        }
    }

    /// Delivers what a user who joined into no room (``register(as:authenticated:entersLobby:)``) is owed once the
    /// door has greeted them: a registered user's private messages that arrived while they were away.
    public func catchUp() async {
        guard let id = self.sessionID, await self.hub.isRegistered(id) else { return }
        await self.hub.deliverOfflineMessages(to: id)
    }

    /// Waits as long as flood control asks before the door acts on one more line from the client. False once the
    /// client has gone (or we are closing): its backlog is not acted on.
    public func waitForFloodControl() async -> Bool {
        guard (try? await self.throttle()) == true, !self.recipient.isClosed else {
            self.ending = .closedByClient
            return false
        }
        return true
    }

    /// One line of the chat as a plain client would type it, in the room in focus (``ChatHub/focus(_:on:)``):
    /// a message, a command (`/cowsay moo`), `//` for a leading slash. Flood control must have been waited for
    /// (``waitForFloodControl()``). `.stop` after `/quit`.
    public func chat(_ text: String) async -> Step {
        guard case .chatting(let loop) = self.phase else { return .goOn }
        let capped = text.utf8.count <= self.configuration.maxLineLength ? text : nil
        return await self.chat(capped, in: loop)
    }

    /// Says goodbye and closes: the door's own quit (IRC's `QUIT :reason`); the rooms hear `reason` once the
    /// transport's input ends and ``finish(_:)`` runs.
    public func quit(reason: String?) async {
        self.ending = .quit(reason)
        await self.stop()
    }
}
