import ChatCore
import ChatProtocol

/// PRIVMSG and NOTICE: to a channel, a room line (or, starting with `/`, a slashchat command run there); to a
/// nickname, a private message. CTCP ACTION is `/me`; other CTCP requests are not answered.
extension IRCSession {
    func send(_ message: IRCMessage) async -> ChatSession.Step {
        let isNotice = message.command == "NOTICE"
        guard let targets = message.parameters.first, !targets.isEmpty else {
            if !isNotice { self.reply("411", "No recipient given (\(message.command))") }
            return .goOn
        }
        guard message.parameters.count >= 2, !message.parameters[1].isEmpty else {
            if !isNotice { self.reply("412", "No text to send") }
            return .goOn
        }
        var text = message.parameters[1]
        var isAction = false
        if text.hasPrefix("\u{01}") {
            let body = text.dropFirst().prefix { $0 != "\u{01}" }
            guard body.uppercased().hasPrefix("ACTION") else { return .goOn }
            isAction = true
            text = String(body.dropFirst("ACTION".count).drop { $0 == " " })
        }
        text = IRCFormatting.strip(text)
        let list = targets.split(separator: ",").map(String.init)
        if list.count > IRCWelcome.messageTargets && !isNotice {
            self.reply("407", targets, "Too many targets; the first \(IRCWelcome.messageTargets) were sent")
        }
        for target in list.prefix(IRCWelcome.messageTargets) {
            if target.hasPrefix("#") {
                if await self.say(text, in: target, isAction: isAction, isNotice: isNotice) == .stop { return .stop }
            } else {
                await self.sendPrivately(text, to: target, isAction: isAction, isNotice: isNotice)
            }
        }
        return .goOn
    }

    /// A line in a channel the user is in, exactly as a plain client's line in that room: a message, `/me`, or a
    /// command when it starts with `/`. A NOTICE is the hub's room notice: text, whatever it starts with, never
    /// kept in the history.
    private func say(_ text: String, in channel: String, isAction: Bool, isNotice: Bool) async -> ChatSession.Step {
        guard let id = self.sessionID, let room = try? RoomName(validating: channel),
            await self.hub.focus(id, on: room)
        else {
            if !isNotice { self.reply("404", channel, "Cannot send to channel (join it first)") }
            return .goOn
        }
        if isAction {
            return await self.chat.chat("/me \(text)")
        }
        if isNotice {
            try? await self.hub.sendRoomNotice(text, from: id)
            return .goOn
        }
        return await self.chat.chat(text)
    }

    private func sendPrivately(_ text: String, to target: String, isAction: Bool, isNotice: Bool) async {
        guard let id = self.sessionID else { return }
        let text = isAction ? "* \(self.nickname) \(text)" : text
        do {
            try await self.hub.sendPrivateMessage(text, to: target, from: id, isNotice: isNotice)
        } catch {
            if !isNotice {
                self.reply("401", target, "No such nick/channel")
                self.notice(error.description)
            }
        }
    }
}
