import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP means "reload", as daemons have it: reopen the log file (after logrotate moved it), look at the plugin
/// folder now and re-read the TLS certificate. One reload at a time, in the order the signals came; it never stops
/// the server.
struct HangupService: Service {
    let logger: Logger
    let reload: @Sendable () async -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            self.logger.notice("SIGHUP: reloading")
            await self.reload()
        }
    }
}
