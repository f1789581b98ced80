#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every fuzz executable's libFuzzer callback does: copy the input, run the target's checks, and abort (which
/// libFuzzer records as a crash, saving the input) when a property fails.
public enum FuzzEntry {
    /// Runs `target`'s checks on the `count` bytes at `data`; returns 0 as libFuzzer expects, or aborts.
    public static func run(_ target: FuzzTarget, _ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        do {
            try target.check(bytes)
        } catch {
            var message = "\(target.name) property violated: \(error)\n"
            message.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            abort()
        }
        return 0
    }

    /// Ends the process with libFuzzer's status.
    public static func exit(_ status: CInt) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }
}
