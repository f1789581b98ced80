import ChatProtocol

/// What a newly registered IRC client is told: 001 to 004, the 005 `ISUPPORT` tokens, and the MOTD that says how to
/// reach slashchat's own commands from an IRC client.
public struct IRCWelcome: Sendable {
    /// The server's name, the source of every reply.
    public var serverName = "slashchat"
    /// The version 002 and 004 name.
    public var version = "slashchat-1"
    /// When the server started, as 003 says it.
    public var created: String

    public init(serverName: String = "slashchat", created: String) {
        self.serverName = serverName
        self.created = created
    }

    /// The `ISUPPORT` tokens: slashchat's rules as IRC clients read them (nicknames and room names up to 32
    /// characters compared without case in ASCII, `#` rooms, no channel operators yet beyond the server).
    public static let supported = [
        "CASEMAPPING=ascii", "CHANTYPES=#", "NICKLEN=\(Nickname.maximumLength)",
        "CHANNELLEN=\(Nickname.maximumLength + 1)", "PREFIX=(ov)@+", "NETWORK=slashchat", "CHANMODES=b,,,nt",
        "TOPICLEN=300", "AWAYLEN=300", "UTF8ONLY", "WHOX", "CLIENTTAGDENY=*",
        "TARGMAX=JOIN:,PART:,NAMES:\(Self.messageTargets),PRIVMSG:\(Self.messageTargets),NOTICE:\(Self.messageTargets),WHOIS:1",
    ]

    /// The most targets one PRIVMSG, NOTICE or NAMES takes (`TARGMAX`): enough for a few friends, too few to spam with.
    public static let messageTargets = 4

    /// The lines from 001 to the end of the MOTD, for `nickname`.
    public func lines(for nickname: String) -> [IRCMessage] {
        var lines = [
            self.numeric("001", nickname, ["Welcome to slashchat, \(nickname)"]),
            self.numeric("002", nickname, ["Your host is \(self.serverName), running version \(self.version)"]),
            self.numeric("003", nickname, ["This server was created \(self.created)"]),
            self.numeric("004", nickname, [self.serverName, self.version, "i", "bnt"]),
            self.numeric("005", nickname, Self.supported + ["are supported by this server"]),
        ]
        lines += self.motd(for: nickname)
        return lines
    }

    /// 375, 372 and 376: how to join the chat and reach its commands.
    public func motd(for nickname: String) -> [IRCMessage] {
        let text = [
            "Welcome to slashchat, where messages are also commands.",
            "Join #main to chat with everyone: /join #main",
            "Type //help to list slashchat's commands (your client sends /help to itself; // sends it to us),",
            "e.g. //cowsay moo, //train, //who; :tada: becomes 🎉.",
            "In irssi, which keeps // to itself: /say /cowsay moo (or /quote COWSAY moo).",
        ]
        return [self.numeric("375", nickname, ["- \(self.serverName) Message of the day -"])]
            + text.map { self.numeric("372", nickname, ["- \($0)"]) }
            + [self.numeric("376", nickname, ["End of /MOTD command."])]
    }

    private func numeric(_ code: String, _ nickname: String, _ parameters: [String]) -> IRCMessage {
        IRCMessage(source: self.serverName, command: code, parameters: [nickname] + parameters)
    }
}
