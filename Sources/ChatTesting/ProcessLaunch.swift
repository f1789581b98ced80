import Foundation
import Synchronization

/// Starts child processes one at a time across the whole test process.
///
/// Foundation's `Process.run()` on Linux copies the arguments, the environment and the descriptor table while it
/// builds the spawn; two of them at once on two threads (the suites run in parallel, and several start servers,
/// clients and tools) crashed the test process in that copy. Launching is quick, so doing it in turn costs nothing.
public enum ProcessLaunch {
    private static let lock = Mutex(())

    /// `process.run()`, never at the same time as another launch through here.
    public static func run(_ process: Process) throws {
        try Self.lock.withLock { _ in try process.run() }
    }
}
