import ChatProtocol
import ProcessRunning

/// A command backed by an executable in the plugins folder: `commands/NAME` runs as `/NAME ARGS`.
struct PluginCommand: ChatCommand {
    let descriptor: CommandDescriptor
    let path: String
    let manifest: PluginManifest

    /// The plugins folder: plugins run there, so they can read files kept beside them.
    var directory: String {
        String(self.path[..<(self.path.lastIndex(of: "/") ?? self.path.endIndex)])
    }

    init(name: String, path: String, manifest: PluginManifest) {
        self.descriptor = CommandDescriptor(name: name, usage: manifest.usage, summary: manifest.summary)
        self.path = path
        self.manifest = manifest
    }

    func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let arguments: [String]
        do {
            arguments = try ShellWords.split(invocation.arguments)
        } catch {
            throw CommandError.failed("/\(self.descriptor.name): \(error); arguments were not passed.")
        }
        var limits = ProcessRunner.Limits()
        limits.timeout = .seconds(self.manifest.timeoutSeconds)
        try await context.runExternal(
            invocation,
            executable: self.path,
            arguments: arguments,
            toRoom: self.manifest.audience == .room,
            workingDirectory: self.directory,
            limits: limits
        )
    }
}
