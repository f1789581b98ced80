import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP means "reload", as daemons have it: reopen the log file (after logrotate moved it) and look at the plugin
/// folder now. It never stops the server.
struct HangupService: Service {
    let logger: Logger
    let reload: @Sendable () -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            self.logger.notice("SIGHUP: reloading")
            self.reload()
        }
    }
}
