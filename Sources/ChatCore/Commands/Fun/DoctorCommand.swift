import ChatProtocol
import ProcessRunning

/// `/doctor`: which tools were found, which fallbacks are in use, which plugins loaded and which did not.
public struct DoctorCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "doctor",
        summary: "show which external tools and plugins this server has"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        let services = context.services
        var lines: [String] = []
        for tool in ExternalTools.names {
            let state = services.tools.path(of: tool).map { "found at \($0)" } ?? "not found"
            lines.append("\(tool): \(state)")
        }
        if services.tools.path(of: "cowsay") == nil {
            let cows = Cow.builtIn.map(\.name).joined(separator: ", ")
            lines.append("fallback: the built-in cowsay renderer draws /cowsay (cows: \(cows))")
        } else if !services.tools.cows.isEmpty {
            lines.append("cows: \(services.tools.cows.count) from the real cowsay (/cowsay -f list)")
        }
        if services.tools.path(of: "cowthink") == nil {
            lines.append("fallback: the built-in renderer draws /cowthink")
        }
        if let plugins = services.plugins {
            let loaded = plugins.loadedNames
            lines.append(
                "plugins in \(plugins.path): "
                    + (loaded.isEmpty ? "none loaded" : loaded.map { "/\($0)" }.joined(separator: ", "))
            )
            for failure in plugins.failures {
                lines.append("plugin \(failure.name) not loaded: \(failure.reason)")
            }
        } else {
            lines.append("plugins: no plugin folder")
        }
        let runner = context.processRunner
        lines.append("external commands: at most \(runner.maxConcurrentRuns) at once, killed after 5s by default")
        // File names, paths and failure reasons come from the disk, where anyone who can write the plugin folder
        // can name a file with an escape code and a newline: every line is cleaned like a user's text.
        context.notices(lines.map(Sanitizer.clean))
    }
}
