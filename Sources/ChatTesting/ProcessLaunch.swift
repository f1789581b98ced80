import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Starts child processes one at a time across the whole test process, around a Foundation bug.
///
/// Foundation's `Process.run()` on Linux finds the highest open descriptor by reading `/proc/self/fd`, copying each
/// entry's whole 256-byte `d_name` even when the entry is a few bytes long at the very end of glibc's directory
/// buffer (swift-corelibs-foundation#5472, fixed after Swift 6.3.1). With the ~1,300 descriptors a parallel test run
/// holds, that buffer's end is sometimes the end of mapped memory, and the test process crashed. So before the first
/// launch, allocations of 32 KiB and more (the directory buffer is 32 KiB and a little) get mappings of their own,
/// rounded up to whole pages: the over-read then stays inside the page slack. Launches also take turns, so no two
/// walk the descriptor table while it changes under them.
public enum ProcessLaunch {
    private static let lock = Mutex(())

    /// Done once, before the first launch.
    private static let roomyDirectoryBuffers: Void = {
        #if canImport(Glibc)
        // mallopt(M_MMAP_THRESHOLD, 32 KiB); malloc.h is not in the Glibc module, so found by name. -3 is
        // M_MMAP_THRESHOLD in glibc's malloc.h.
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(symbol, to: MallocOption.self)(-3, 32 * 1024)
        }
        #endif
    }()

    /// `process.run()`, never at the same time as another launch through here.
    public static func run(_ process: Process) throws {
        Self.roomyDirectoryBuffers
        try Self.lock.withLock { _ in try process.run() }
    }
}
