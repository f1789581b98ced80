import ChatTesting
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pseudo-terminal for running the real client: the test holds the master side, the client gets the slave side as
/// its stdin, stdout and stderr.
///
/// A background thread drains the master into a buffer (so the client never blocks on a full terminal), polling with
/// a short timeout so ``close()`` can stop it.
final class PseudoTerminal: Sendable {
    let rows: Int
    let columns: Int
    /// The master side: what the test reads and types into.
    private let master: Int32
    /// The slave side: what the client's standard streams are.
    let slave: Int32
    private let received = Mutex<[UInt8]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let readerFinished = DispatchSemaphore(value: 0)

    init(rows: Int, columns: Int) throws {
        self.rows = rows
        self.columns = columns
        let master = Self.openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw ExpectationFailure("posix_openpt failed: errno \(errno)") }
        var name = [CChar](repeating: 0, count: 128)
        guard Self.grantpt(master) == 0, Self.unlockpt(master) == 0, Self.ptsname(master, &name, name.count) == 0
        else {
            Glibc.close(master)
            throw ExpectationFailure("grantpt/unlockpt/ptsname failed: errno \(errno)")
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            Glibc.close(master)
            throw ExpectationFailure("cannot open \(path): errno \(errno)")
        }
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else {
            Glibc.close(slave)
            Glibc.close(master)
            throw ExpectationFailure("TIOCSWINSZ failed: errno \(errno)")
        }
        self.master = master
        self.slave = slave
        let thread = Thread { [self] in self.readUntilStopped() }
        thread.name = "pty-reader"
        thread.start()
    }

    /// Everything the client has written so far.
    var output: [UInt8] {
        self.received.withLock { $0 }
    }

    /// What a terminal of this size shows now.
    var screen: VirtualScreen {
        VirtualScreen(rows: self.rows, columns: self.columns, showing: self.output)
    }

    /// Types `text` (its UTF-8 bytes) at the keyboard.
    func type(_ text: String) {
        self.type(Array(text.utf8))
    }

    /// Types raw bytes at the keyboard (`[0x03]` is Ctrl-C).
    func type(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(self.master, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// The terminal's current settings, as the client sees them.
    func settings() throws -> termios {
        var settings = termios()
        guard tcgetattr(self.slave, &settings) == 0 else {
            throw ExpectationFailure("tcgetattr failed: errno \(errno)")
        }
        return settings
    }

    /// Stops the reader and closes both sides.
    func close() {
        self.stopRequested.store(true, ordering: .relaxed)
        _ = self.readerFinished.wait(timeout: .now() + 2)
        Glibc.close(self.slave)
        Glibc.close(self.master)
    }

    private func readUntilStopped() {
        defer { self.readerFinished.signal() }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !self.stopRequested.load(ordering: .relaxed) {
            var descriptor = pollfd(fd: self.master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 20)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(self.master, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            // EIO: no process has the slave open any more (we keep it open, so this is the end of the test).
            guard count > 0 else { return }
            self.received.withLock { $0.append(contentsOf: buffer[0..<count]) }
        }
    }
}

extension PseudoTerminal {
    // Swift's Glibc module leaves out the X/Open pseudo-terminal calls (their header needs `_XOPEN_SOURCE`), so they
    // are looked up in the C library at run time.
    private static func function<Function>(_ name: String, as type: Function.Type) -> Function {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { fatalError("the C library has no \(name)") }
        return unsafeBitCast(symbol, to: type)
    }

    /// `int posix_openpt(int flags)`
    fileprivate static let openpt = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    /// `int grantpt(int fd)`
    fileprivate static let grantpt = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    /// `int unlockpt(int fd)`
    fileprivate static let unlockpt = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    /// `int ptsname_r(int fd, char *buf, size_t buflen)`: the thread-safe `ptsname`.
    fileprivate static let ptsname = function(
        "ptsname_r",
        as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32).self
    )
}

extension termios {
    /// The fields a program changes to go raw and must put back: flags, control characters and speeds.
    var comparableFields: [UInt] {
        var fields = [UInt(self.c_iflag), UInt(self.c_oflag), UInt(self.c_cflag), UInt(self.c_lflag)]
        fields += withUnsafeBytes(of: self.c_cc) { $0.map { UInt($0) } }
        fields += [UInt(self.c_ispeed), UInt(self.c_ospeed)]
        return fields
    }
}
