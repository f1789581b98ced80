import ChatCore
import ChatTransportSSH
import ChatTransportTLS
import Logging
import ProcessRunning
import StandardStreams

/// The pieces ``ServerCommand/run()`` hands to its services: the commands, what the server prints once it listens,
/// and what SIGHUP reloads.
extension ServerCommand {
    /// The built-in and fun commands, then the plugins of `--commands-dir` (after the built-ins, so plugins cannot
    /// replace them), and the process runner and tools they share.
    func commands(logger: Logger) async -> (CommandRegistry, CommandServices, PluginDirectory) {
        let registry = CommandRegistry.withCoreCommands()
        let processRunner = ProcessRunner()
        let tools = await ExternalTools.discover(runner: processRunner)
        registry.registerFunCommands(tools: tools)
        let plugins = PluginDirectory(path: self.commandsDir, registry: registry, logger: logger)
        plugins.rescan()
        let services = CommandServices(processRunner: processRunner, tools: tools, plugins: plugins)
        return (registry, services, plugins)
    }

    /// Prints one `slashchat listening on HOST:PORT` line per listener (the SSH door's followed by its host key's
    /// fingerprint), then the TLS certificate's fingerprint. Scripts and tests wait for these lines.
    static func announce(_ addresses: [ListeningAddress], tlsCertificates: TLSCertificates?, sshHostKey: SSHHostKey?) {
        for (index, address) in addresses.enumerated() {
            StandardStream.output.writeLine(address.announcement(isFirst: index == 0))
            if address.kind == "ssh", let sshHostKey {
                StandardStream.output.writeLine(sshHostKey.announcement)
            }
        }
        if let tlsCertificates {
            StandardStream.output.writeLine(tlsCertificates.announcement)
        }
    }

    /// What SIGHUP does: reopens the log file (after logrotate moved it), rescans the plugins and re-reads the TLS
    /// certificate, logging how each reload went.
    static func reload(
        logFile: LogFile?,
        plugins: PluginDirectory,
        reloadables: [any Reloadable],
        logger: Logger
    ) async {
        do {
            try logFile?.reopen()
        } catch {
            logger.error("could not reopen the log file", metadata: ["error": "\(error)"])
        }
        plugins.rescan()
        for reloadable in reloadables {
            let outcome = await reloadable.reload()
            if outcome.succeeded {
                logger.notice("\(outcome.message)")
            } else {
                logger.error("\(outcome.message)")
            }
        }
    }
}
