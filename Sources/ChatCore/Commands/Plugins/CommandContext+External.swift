import ChatProtocol
import ProcessRunning

extension CommandContext {
    /// Runs an external program for the caller and posts its output as a block: the one path every plugin and
    /// PATH tool takes, so the per-user cooldown, the server-wide cap, the timeout and the error lines are the
    /// same for all of them.
    func runExternal(
        _ invocation: CommandInvocation,
        executable: String,
        arguments: [String],
        toRoom: Bool,
        workingDirectory: String = "/tmp",
        limits: ProcessRunner.Limits = ProcessRunner.Limits(),
        roomCooldown: Duration? = nil
    ) async throws {
        let name = invocation.name
        let wait = self.connection.takeExternalRunToken()
        guard wait == .zero else {
            let seconds = max(1, Int(wait.components.seconds) + 1)
            self.notice("Cooldown: wait \(seconds)s before running another program-backed command like /\(name).")
            return
        }
        guard let place = await self.hub.whereabouts(of: self.session) else { return }
        let outcome: ProcessRunner.Outcome
        do {
            outcome = try await self.processRunner.run(
                executable: executable,
                arguments: arguments,
                environment: ["CHAT_NICK": place.nickname.name, "CHAT_ROOM": place.room?.name ?? ""],
                workingDirectory: workingDirectory,
                limits: limits
            )
        } catch .busy(let limit) {
            throw CommandError.failed(
                "The server is already running \(limit) commands; try /\(name) again in a moment."
            )
        } catch .launchFailed(let reason) {
            throw CommandError.failed("/\(name) could not be started: \(Sanitizer.clean(reason))")
        }
        ChatMetrics.pluginRan(timedOut: outcome.timedOut)
        if outcome.timedOut {
            let seconds = min(limits.timeout, ProcessRunner.maximumTimeout).components.seconds
            throw CommandError.failed("/\(name) took longer than \(seconds)s and was stopped.")
        }
        // A program stopped at the output cap died of our signal (or of SIGPIPE); what it printed is still shown.
        guard outcome.exitCode == 0 || outcome.stoppedAtCap else {
            let status = outcome.exitCode.map { "exit status \($0)" } ?? "killed by a signal"
            let detail = outcome.firstErrorLine.map { ": \($0)" } ?? ""
            throw CommandError.failed("/\(name) failed (\(status))\(detail)")
        }
        var lines = outcome.lines
        if outcome.truncated {
            lines.append(
                "[output cut at \(limits.maxOutputLines) lines / \(limits.maxOutputBytes / 1024) KiB]"
            )
        }
        if lines.isEmpty {
            self.notice("/\(name) printed nothing.")
            return
        }
        try await self.hub.postBlock(
            lines,
            command: name,
            arguments: invocation.arguments,
            from: self.session,
            toRoom: toRoom,
            roomCooldown: roomCooldown
        )
    }
}
