#if canImport(Glibc)
import Glibc
#endif

/// Gives the heap's free pages back to the system. After a flood of half-open handshakes has gone, glibc keeps the
/// megabytes they used for later allocations, so the server stayed at its peak (626 MiB after 10,000 of them)
/// though nothing used it; trimming once the last of them is over brings it back down.
package enum HeapTrim {
    /// Handshakes that must have been in progress at once since the last trim before one is worth its time.
    package static let worthAfter = 100

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module leaves out `<malloc.h>`, and other C
    /// libraries have no such call (nil).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    package static func now() {
        _ = Self.mallocTrim?(0)
    }
}
