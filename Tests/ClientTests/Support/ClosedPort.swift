import ChatTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A port on 127.0.0.1 where nothing listens: bound on port 0 (so the kernel picks a free one) and never listened on,
/// so a connection to it is refused. The socket stays bound until the test process ends: a port closed again could be
/// handed to a server that another test, running in parallel, starts on port 0, and the "dead" address would answer.
enum ClosedPort {
    static func take() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ExpectationFailure("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw ExpectationFailure("binding 127.0.0.1:0 failed: errno \(errno)")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
