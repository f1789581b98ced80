#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal into raw-ish mode for line editing and guarantees it is put back: on normal exit, on
/// SIGTERM/SIGHUP/SIGQUIT, and on a crash (SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS), so the shell is never left
/// without echo.
public enum RawTerminal {
    /// The settings before we changed them. Written once before any handler is installed, then only read,
    /// including from signal handlers (where only async-signal-safe calls such as `tcsetattr` happen).
    nonisolated(unsafe) private static var original: termios?

    /// True when both stdin and stdout are terminals.
    public static var isInteractive: Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// The terminal's width in columns (80 when unknown).
    public static func columns() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Turns off canonical mode, echo, signals from keys (Ctrl-C arrives as a key) and flow control. Output
    /// processing stays on, so `\n` still starts a new line.
    public static func enable() -> Bool {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return false }
        Self.original = settings
        for signal in [SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS] {
            Glibc.signal(signal, RawTerminal.restoreAndReraise)
        }
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        settings.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | IGNCR)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        return tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings) == 0
    }

    /// Puts the terminal back as it was.
    public static func restore() {
        guard var settings = Self.original else { return }
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &settings)
    }

    private static let restoreAndReraise: @convention(c) (Int32) -> Void = { signal in
        if var settings = RawTerminal.original {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        }
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
    }
}
