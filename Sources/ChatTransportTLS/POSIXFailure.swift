#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, as `open …: Permission denied`.
struct POSIXFailure: Error, CustomStringConvertible {
    let call: String
    let code: Int32

    var description: String { "\(self.call): \(String(cString: strerror(self.code)))" }
}
