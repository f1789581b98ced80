import ChatProtocol
import Foundation

/// `/keys [add | remove N]`: the public keys that log me in over SSH without my password; `add` binds the key this
/// SSH session proved it holds, `remove N` unbinds one. `/register` over SSH binds the key by itself.
public struct KeysCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "keys",
        usage: "[add | remove N]",
        summary: "list the SSH keys that log you in without your password; add binds this session's, remove N unbinds"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard let persistence = context.hub.persistence else {
            throw CommandError.failed("This server keeps no accounts.")
        }
        guard let (nickname, _) = await context.hub.whereabouts(of: context.session) else { return }
        guard await context.hub.isRegistered(context.session) else {
            throw CommandError.failed(
                "Keys belong to registered nicknames: /register PASSWORD over ssh binds the key you logged in with."
            )
        }
        let words = invocation.words
        let keys: [AccountKey]
        do {
            keys = try await persistence.store.keys(of: nickname.name)
        } catch {
            throw CommandError.failed("Keys cannot be read right now (\(error)); try again later.")
        }
        switch words.count {
        case 0:
            guard !keys.isEmpty else {
                context.notice(
                    "No SSH key is bound to \(nickname). Log in over ssh (your key is offered, then your password "
                        + "asked), then /keys add binds the key."
                )
                return
            }
            context.notices(
                ["SSH keys bound to \(nickname) (/keys remove N unbinds one):"]
                    + keys.enumerated().map { index, key in "  \(index + 1). \(Self.describe(key))" }
            )
        case 1 where words[0].lowercased() == "add":
            guard let key = context.connection.loginKey else {
                throw CommandError.failed(
                    "This session has no key to bind: log in over ssh with your key (ssh -p PORT \(nickname)@HOST)."
                )
            }
            let bound: Bool
            do {
                bound = try await persistence.store.bindKey(key, to: nickname.name)
            } catch {
                throw CommandError.failed("The key cannot be bound right now (\(error)); try again later.")
            }
            context.notice(
                bound
                    ? "Bound \(key.fingerprint) to \(nickname): ssh logs you in with it, without your password."
                    : "\(key.fingerprint) is bound to \(nickname) already."
            )
        case 2 where words[0].lowercased() == "remove":
            guard let number = Int(words[1]), keys.indices.contains(number - 1) else {
                throw CommandError.failed(
                    keys.isEmpty
                        ? "No SSH key is bound to \(nickname)."
                        : "No key number \(Sanitizer.clean(words[1])): /keys lists them, 1 to \(keys.count)."
                )
            }
            let key = keys[number - 1]
            do {
                _ = try await persistence.store.unbindKey(fingerprint: key.fingerprint, from: nickname.name)
            } catch {
                throw CommandError.failed("The key cannot be removed right now (\(error)); try again later.")
            }
            context.notice("Removed key \(number), \(key.fingerprint): it no longer logs you in as \(nickname).")
        default:
            throw CommandError.usage(self.descriptor)
        }
    }

    /// One key as the list shows it: its fingerprint, type and when it was bound.
    static func describe(_ key: AccountKey) -> String {
        let type = key.publicKey.split(separator: " ").first.map(String.init) ?? "key"
        guard let added = key.added else { return "\(key.fingerprint) (\(type))" }
        return "\(key.fingerprint) (\(type), added \(added.formatted(.iso8601.year().month().day())))"
    }
}
