import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command run with `posix_spawn` and reaped with `waitpid`, for programs that leave a daemon behind (`pg_ctl`'s
/// postmaster, tmux's server). Foundation's `Process` waits for every holder of the child's descriptors to go, so a
/// daemon would make the command look as if it never ended; and the daemon must inherit nothing of this process: no
/// descriptor (a test's socket or listener would stay open) and no blocked or ignored signal (it would be deaf to
/// the SIGTERM that ends it).
public enum SpawnedCommand {
    /// Runs `argv` with stdin from /dev/null and stdout and stderr into the file `output`, on a thread of its own
    /// (waiting for a process blocks, and no task may block a thread of the concurrency pool: two of them on a
    /// two-core machine). Its exit status, 128 + the signal when killed by one.
    public static func run(
        _ argv: [String],
        output: String,
        environment: [String: String]? = nil
    ) async throws
        -> Int32
    {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            Thread {
                continuation.resume(
                    with: Result { try Self.spawnAndWait(argv, output: output, environment: environment) }
                )
            }.start()
        }
    }

    /// Runs `argv` as ``run(_:output:environment:)`` does; its exit status and what it printed.
    public static func run(
        _ argv: [String],
        environment: [String: String]? = nil
    ) async throws
        -> (status: Int32, output: String)
    {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = try await Self.run(argv, output: output, environment: environment)
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    private static func spawnAndWait(_ argv: [String], output: String, environment: [String: String]?) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if Self.addCloseFrom?(&actions, 3) != 0 {
            Self.markEveryDescriptorCloseOnExec()
        }
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
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for pointer in arguments + (variables ?? []) { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned =
            if var variables {
                posix_spawn(&pid, argv[0], &actions, &attributes, arguments, &variables)
            } else {
                posix_spawn(&pid, argv[0], &actions, &attributes, arguments, environ)
            }
        guard spawned == 0 else {
            throw ExpectationFailure("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return errno == ECHILD ? 0 : -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time: Swift's Glibc
    /// module does not declare it.
    private static let addCloseFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self
            )
        }()

    /// Without `addclosefrom`: every descriptor above stderr is marked close-on-exec (harmless here: whoever
    /// hands one to a child maps it with dup2, which clears the mark).
    private static func markEveryDescriptorCloseOnExec() {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
