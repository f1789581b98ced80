import Logging

extension AdminConsole {
    /// The console's commands, in the order `help` lists them.
    static let commands: [ConsoleCommand] = [
        ConsoleCommand(
            words: ["say"],
            arguments: .text(hint: "TEXT"),
            summary: ["announce TEXT even when it starts with a command word (> TEXT too)"]
        ) { console, input in
            await console.announce(input.argumentText)
        },
        ConsoleCommand(
            words: ["who", "users"],
            arguments: .none,
            summary: ["list connected users and where they connect from"]
        ) { console, _ in
            await console.listUsers()
            return .keepGoing
        },
        ConsoleCommand(
            words: ["kick"],
            arguments: .target(hint: "NICK [REASON]"),
            summary: ["disconnect NICK, telling them REASON"]
        ) { console, input in
            await console.kick(input.target, reason: input.rest.isEmpty ? nil : input.rest)
            return .keepGoing
        },
        ConsoleCommand(
            words: ["ban"],
            arguments: .target(hint: "NICK|ADDRESS [DURATION] [REASON]"),
            summary: [
                "a registered nickname: ban the account (for DURATION, or for good) and",
                "the addresses its sessions come from (DURATION, default 24h), and",
                "disconnect them; a guest: ban its address (IPv4, or IPv6 /64) for",
                "DURATION (default 24h); an address: ban it, used or not (DURATION is",
                "like 30m, 12h, 7d, at most a year)",
            ]
        ) { console, input in
            await console.ban(input.target, arguments: input.rest)
            return .keepGoing
        },
        ConsoleCommand(
            words: ["unban"],
            arguments: .target(hint: "NICK|ADDRESS"),
            summary: ["lift an account's or an address's ban"]
        ) { console, input in
            await console.unban(input.target)
            return .keepGoing
        },
        ConsoleCommand(words: ["bans"], arguments: .none, summary: ["list the bans in force"]) { console, _ in
            await console.listBans()
            return .keepGoing
        },
        ConsoleCommand(
            words: ["reload"],
            arguments: .none,
            summary: [
                "look at the plugin folder now (it is also watched every second) and",
                "re-read the TLS certificate and key (also on SIGHUP)",
            ]
        ) { console, _ in
            await console.reload()
            return .keepGoing
        },
        ConsoleCommand(words: ["help"], arguments: .none, summary: ["this list"]) { console, _ in
            console.output(AdminConsole.help)
            return .keepGoing
        },
        ConsoleCommand(
            words: ["shutdown", "quit", "stop"],
            arguments: .none,
            summary: ["tell everyone, close all connections and exit (also on SIGTERM/SIGINT)"]
        ) { console, _ in
            console.logger.notice("shutdown requested from the console")
            return .stop
        },
    ]

    /// `who`'s answer.
    func listUsers() async {
        let users = await self.hub.connectedUsers()
        self.output(
            users.isEmpty
                ? "nobody is connected"
                : users.map { user in
                    "\(user.nickname) in \(user.room) from \(user.address)" + (user.node.map { " on \($0)" } ?? "")
                }.joined(separator: "\n")
        )
    }
}
