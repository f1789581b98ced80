import ChatCore
import ChatTesting
import Foundation
import ProcessRunning

/// The commands and services the real server wires up (see `ServerCommand.run`), for end-to-end tests of the fun
/// commands and plugins: the core and fun commands, the given tools, and optionally a plugin folder, scanned once.
struct FunSetup {
    /// The shipped plugins: `commands/` at the root of the package.
    static let shippedPluginsPath: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("commands").path
    }()

    let registry: CommandRegistry
    let services: CommandServices

    /// - Parameters:
    ///   - tools: the PATH tools the server believes it has; none (the built-in cowsay renderer) by default.
    ///   - pluginsPath: a plugin folder, scanned once here; call ``plugins``' `rescan()` after changing it.
    ///   - runner: the process runner every external command goes through.
    init(tools: ExternalTools = ExternalTools(), pluginsPath: String? = nil, runner: ProcessRunner = ProcessRunner()) {
        let registry = CommandRegistry.withCoreCommands()
        registry.registerFunCommands(tools: tools)
        // After the built-ins, as the real server does, so plugins cannot replace them.
        let plugins = pluginsPath.map { PluginDirectory(path: $0, registry: registry, logger: TestServer.logger) }
        plugins?.rescan()
        self.registry = registry
        self.services = CommandServices(processRunner: runner, tools: tools, plugins: plugins)
    }

    /// The plugin folder, when one was given.
    var plugins: PluginDirectory? {
        self.services.plugins
    }

    /// The tools this machine has (cowsay, fortune, figlet, … wherever found), as the real server discovers them.
    static func installedTools(runner: ProcessRunner = ProcessRunner()) async -> ExternalTools {
        await ExternalTools.discover(runner: runner)
    }

    /// True when `tool` is on PATH or in the games directories, where the server would find it.
    static func isInstalled(_ tool: String) -> Bool {
        ExecutableSearch.find(tool) != nil
    }

    /// Runs `body` against a fresh server with these commands and services.
    func withServer(
        _ configuration: ServerConfiguration = .loopback(),
        _ body: (TestServer) async throws -> Void
    ) async throws {
        try await TestServer.withServer(configuration, registry: self.registry, services: self.services, body)
    }
}
