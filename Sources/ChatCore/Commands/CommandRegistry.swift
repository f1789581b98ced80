import Synchronization

/// Every command the chat knows, by name and alias: built-ins now, plugins as they are found.
///
/// One look-up per dispatch; `/help` is generated from the same entries, so a command cannot exist without
/// being listed. The registry is shared by all connections and may change while the server runs (plugins
/// come and go), so its table sits behind a lock.
public final class CommandRegistry: Sendable {
    private struct Table {
        var commands: [String: any ChatCommand] = [:]
        var aliases: [String: String] = [:]
    }

    private let table = Mutex(Table())

    /// Creates a registry holding `commands`.
    public init(_ commands: [any ChatCommand] = []) {
        for command in commands {
            self.register(command)
        }
    }

    /// Adds (or replaces) a command and its aliases.
    public func register(_ command: any ChatCommand) {
        let descriptor = command.descriptor
        self.table.withLock { table in
            if let replaced = table.commands.updateValue(command, forKey: descriptor.name) {
                for alias in replaced.descriptor.aliases where table.aliases[alias] == descriptor.name {
                    table.aliases.removeValue(forKey: alias)
                }
            }
            for alias in descriptor.aliases {
                table.aliases[alias] = descriptor.name
            }
        }
    }

    /// Removes a command and its aliases.
    public func unregister(_ name: String) {
        let name = name.lowercased()
        self.table.withLock { table in
            guard let command = table.commands.removeValue(forKey: name) else { return }
            for alias in command.descriptor.aliases where table.aliases[alias] == name {
                table.aliases.removeValue(forKey: alias)
            }
        }
    }

    /// The command registered under `name` or one of its aliases (case-insensitive).
    public func command(named name: String) -> (any ChatCommand)? {
        let key = name.lowercased()
        return self.table.withLock { table in
            table.commands[key] ?? table.aliases[key].flatMap { table.commands[$0] }
        }
    }

    /// All descriptors, sorted by name.
    public var descriptors: [CommandDescriptor] {
        self.table.withLock { table in table.commands.values.map(\.descriptor) }
            .sorted { $0.name < $1.name }
    }
}
