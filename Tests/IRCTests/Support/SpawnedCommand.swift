import ChatTesting
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A short command run with `posix_spawn` and reaped with `waitpid`, for programs that leave a daemon behind (tmux):
/// Foundation's `Process` waits for every holder of the child's descriptors to go, so a daemon that keeps one makes
/// the command look as if it never ended.
enum SpawnedCommand {
    /// Runs `argv` with its output in a file, at most `TestTime.process`; its exit status and output.
    static func run(_ argv: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in arguments + variables { free(pointer) }
        }
        // A clean slate of signals: the test process blocks or ignores some, and a daemon (tmux's server) would
        // inherit that and outlive the test, deaf to SIGTERM and kill-server alike.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, arguments, variables)
        guard spawned == 0 else { throw ExpectationFailure("cannot start \(argv[0]): errno \(spawned)") }
        var status: Int32 = 0
        let exited = await Deadline.poll(within: TestTime.process, every: .milliseconds(10)) {
            waitpid(pid, &status, WNOHANG) == pid
        }
        guard exited else {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            throw ExpectationFailure("\(argv.joined(separator: " ")) was still running after \(TestTime.process)")
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WEXITSTATUS, which Swift does not import.
        return ((status >> 8) & 0xFF, output)
    }
}
