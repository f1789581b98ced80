import ChatProtocol
import Foundation
import Logging
import ServiceLifecycle

/// The server's stdin: a plain line is announced to everyone as `* server: TEXT`; a line that starts with a
/// console command word is that command, never an announcement (`say TEXT` or `> TEXT` announces text that
/// starts with one).
///
/// stdin at EOF (or not a terminal, as under systemd or in CI) just ends the console; the server runs on until
/// it is told to stop.
public struct AdminConsole: Service {
    /// How long `ban` keeps a guest's address out when no duration is given.
    public static let defaultAddressBan = Duration.seconds(24 * 3600)

    let hub: ChatHub
    private let plugins: PluginDirectory?
    private let reloadables: [any Reloadable]
    private let input: AsyncStream<String>
    let output: @Sendable (String) -> Void
    let logger: Logger

    /// - Parameters:
    ///   - input: the console's lines (``StandardInput/lines()`` in the real server).
    ///   - output: where answers go (stdout in the real server).
    public init(
        hub: ChatHub,
        plugins: PluginDirectory? = nil,
        reloadables: [any Reloadable] = [],
        input: AsyncStream<String>,
        logger: Logger,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.hub = hub
        self.plugins = plugins
        self.reloadables = reloadables
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

    enum Outcome {
        case keepGoing
        case stop
    }

    /// What `help` answers, made from ``commands``.
    public static let help = Self.helpText(for: Self.commands)

    /// What each command takes, as `help` says it: `usage: kick NICK [REASON]`, by command word.
    public static let usage = Dictionary(uniqueKeysWithValues: Self.commands.map { ($0.name, $0.usage) })

    /// The command a word starts, by any of its names.
    private static let commandsByWord = Dictionary(
        uniqueKeysWithValues: Self.commands.flatMap { command in command.words.map { ($0, command) } }
    )

    /// Acts on one console line, given with the sanitizer's removal markers.
    private func handle(_ marked: String) async -> Outcome {
        let text = Sanitizer.removingMarkers(marked)
        if text.hasPrefix(">") {
            return await self.announce(String(text.dropFirst()).trimmingSpacesAndTabs())
        }
        let body = marked.hasPrefix("/") ? String(marked.dropFirst()) : marked
        let markedWords = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let word = Sanitizer.removingMarkers(markedWords.first ?? "").lowercased()
        guard let command = Self.commandsByWord[word] else {
            return await self.announce(text)
        }
        let arguments = Array(markedWords.dropFirst())
        switch command.arguments {
        case .none:
            // `who cares about this` is neither `who` nor an announcement: say so, and how to announce it.
            guard arguments.isEmpty else {
                self.output("\(word) takes no arguments; to announce that text, type: say \(text)")
                return .keepGoing
            }
            return await command.action(self, ConsoleCommand.Input(text: text, argumentText: "", target: "", rest: ""))
        case .text:
            let afterWord = body.drop { $0 == " " || $0 == "\t" }.drop { $0 != " " && $0 != "\t" }
            let argumentText = Sanitizer.removingMarkers(String(afterWord)).trimmingSpacesAndTabs()
            return await command.action(
                self,
                ConsoleCommand.Input(text: text, argumentText: argumentText, target: "", rest: "")
            )
        case .target:
            guard let name = arguments.first else {
                self.output(command.usage)
                return .keepGoing
            }
            guard !Sanitizer.containsMarker(name) else {
                self.output("a nickname cannot contain control characters, escape sequences or invisible characters")
                return .keepGoing
            }
            let rest = Sanitizer.removingMarkers(arguments.dropFirst().joined(separator: " "))
            return await command.action(
                self,
                ConsoleCommand.Input(text: text, argumentText: "", target: name, rest: rest)
            )
        }
    }

    func announce(_ text: String) async -> Outcome {
        guard !text.isEmpty else {
            self.output("usage: say TEXT")
            return .keepGoing
        }
        await self.hub.announce(text)
        self.logger.info("announcement", metadata: ["text": "\(text)"])
        return .keepGoing
    }

    func reload() async {
        for reloadable in self.reloadables {
            self.output(await reloadable.reload().message)
        }
        guard let plugins = self.plugins else {
            self.output("no plugin folder")
            return
        }
        let changes = plugins.rescan()
        let failures = plugins.failures.map { "\($0.name): \($0.reason)" }
        // File names come from the disk and may hold escape codes meant for the operator's terminal.
        self.output(
            Sanitizer.clean(
                "plugins: \(plugins.loadedNames.joined(separator: ", "))"
                    + (changes.added.isEmpty ? "" : "; reloaded \(changes.added.joined(separator: ", "))")
                    + (changes.removed.isEmpty ? "" : "; removed \(changes.removed.joined(separator: ", "))")
                    + (failures.isEmpty ? "" : "; not loaded: \(failures.joined(separator: "; "))")
            )
        )
    }

    // MARK: Moderation

    func kick(_ nickname: String, reason: String?) async {
        let kicked = await self.hub.kickAnywhere(
            nickname,
            reason: "kicked by the server" + (reason.map { ": \($0)" } ?? "")
        )
        self.output(kicked ? "kicked \(nickname)" : "nobody called \(nickname) is online")
    }

    /// A registered nickname: the account (for the duration given, else for good), every session logged into it and
    /// the addresses its sessions came from (online now, or since the server started). A guest: its address. An
    /// address: that address, whoever uses it. Addresses are banned for the duration given, else for
    /// ``defaultAddressBan``: they change hands, so never for good.
    func ban(_ target: String, arguments: String) async {
        var words = arguments.split(separator: " ").map(String.init)
        var duration: Duration?
        if let first = words.first, let parsed = Self.duration(first) {
            duration = parsed
            words.removeFirst()
        }
        let reason = words.isEmpty ? nil : words.joined(separator: " ")
        let why = reason.map { " (\($0))" } ?? ""
        let shown = "banned" + (reason.map { ": \($0)" } ?? "")
        let addressDuration = duration ?? Self.defaultAddressBan
        let addressTerm = "for \(Self.describe(addressDuration)), until \(Self.end(after: addressDuration))"
        if let address = Self.addressKey(target) {
            await self.banAddresses([address], for: address, during: addressDuration, reason: reason)
            let kicked = await self.hub.kickAllAnywhere(from: address, reason: shown)
            self.output(
                "banned \(Self.describe(address: address)) \(addressTerm)\(why)"
                    + (kicked.isEmpty ? "" : "; disconnected " + kicked.joined(separator: ", "))
            )
            return
        }
        if let store = self.hub.persistence?.store {
            do {
                let until = duration.map { Date().addingTimeInterval(Double($0.components.seconds)) }
                if try await store.setBanned(true, nickname: target, until: until) {
                    // Its addresses too, or its owner is back at once as a guest registering a new account.
                    let addresses = await self.hub.peerKeysAnywhere(ofAccount: target)
                    await self.banAddresses(addresses, for: target, during: addressDuration, reason: reason)
                    let kicked = await self.hub.kickAccountAnywhere(target, reason: shown)
                    let accountTerm = duration.map { "for \(Self.describe($0)), until \(Self.end(after: $0))" }
                    self.output(
                        "banned the account \(target) \(accountTerm ?? "for good")"
                            + (addresses.isEmpty
                                ? "; no session of it since the server started, so no address was banned"
                                : "; also \(addresses.map(Self.describe(address:)).joined(separator: ", ")) it "
                                    + "came from, \(addressTerm)")
                            + why + (kicked > 0 ? "; disconnected \(kicked)" : "")
                    )
                    self.logger.notice("ban", metadata: ["nickname": "\(target)", "addresses": "\(addresses)"])
                    return
                }
            } catch {
                self.output("could not ban \(target): \(error)")
                return
            }
        }
        guard let address = await self.hub.peerKeyAnywhere(of: target) else {
            self.output(
                "\(target) is not registered and not online; nothing to ban "
                    + "(ban ADDRESS bans an address nobody uses yet)"
            )
            return
        }
        await self.banAddresses([address], for: target, during: addressDuration, reason: reason)
        _ = await self.hub.kickAnywhere(target, reason: shown)
        self.output(
            "\(target) is a guest, so its whole address is banned: \(Self.describe(address: address)), everyone "
                + "connecting from it, \(addressTerm)\(why)"
        )
    }

    /// Bans `addresses` for `duration`, in memory and in the store, recording `nickname` as the one who used them.
    private func banAddresses(
        _ addresses: [String],
        for nickname: String,
        during duration: Duration,
        reason: String?
    )
        async
    {
        for address in addresses {
            let ban = AddressBans.Ban(
                address: address,
                nickname: nickname,
                until: Date().addingTimeInterval(Double(duration.components.seconds)),
                reason: reason
            )
            self.hub.addressBans.add(ban)
            await self.hub.shareAddressBan(ban)
            do {
                try await self.hub.persistence?.store.saveAddressBan(ban)
            } catch {
                self.output("the ban of \(address) holds until the server stops, but could not be saved: \(error)")
            }
            self.logger.notice("address ban", metadata: ["nickname": "\(nickname)", "address": "\(address)"])
        }
    }

    func unban(_ target: String) async {
        var lifted: [String] = []
        if let store = self.hub.persistence?.store, (try? await store.setBanned(false, nickname: target)) == true {
            lifted.append(target)
        }
        let addresses = self.hub.addressBans.lift(Self.addressKey(target) ?? target)
        if !addresses.isEmpty {
            try? await self.hub.persistence?.store.deleteAddressBans(addresses.map(\.address))
            await self.hub.shareLiftedAddressBans(addresses.map(\.address))
            lifted += addresses.map { ban in
                ban.nickname == ban.address
                    ? "the address \(ban.address)" : "the address of \(ban.nickname) (\(ban.address))"
            }
        }
        self.output(lifted.isEmpty ? "\(target) is not banned" : "unbanned " + lifted.joined(separator: ", "))
    }

    func listBans() async {
        let accounts = (try? await self.hub.persistence?.store.bannedNicknames()) ?? []
        let addresses = self.hub.addressBans.current()
        guard !accounts.isEmpty || !addresses.isEmpty else {
            self.output("no bans")
            return
        }
        var lines = accounts.map { "account \($0)" }
        lines += addresses.map { ban in
            "address \(ban.address)" + (ban.nickname == ban.address ? "" : " (was \(ban.nickname))")
                + " until \(ban.endDescription)"
        }
        self.output(lines.joined(separator: "\n"))
    }

    /// A ban duration as the console reads it: `30m`, `12h`, `7d` (or plain seconds), at most a year; nil for
    /// anything else, which is then the start of the reason.
    public static func duration(_ word: String) -> Duration? {
        guard let unit = word.last, let number = Int(unit.isNumber ? word : String(word.dropLast())), number > 0
        else { return nil }
        let seconds: Int
        switch unit {
        case _ where unit.isNumber: seconds = number
        case "s": seconds = number
        case "m": seconds = number * 60
        case "h": seconds = number * 3600
        case "d": seconds = number * 86_400
        default: return nil
        }
        return .seconds(min(seconds, 365 * 86_400))
    }
}

extension AdminConsole: CustomStringConvertible {
    public var description: String { "AdminConsole" }
}
