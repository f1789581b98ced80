import ChatTesting
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the browser scenarios need on this machine: a Python 3 that imports selenium, Chromium and its chromedriver
/// (Debian's `python3-selenium`, `chromium`, `chromium-driver`; `.ci/run` installs them). Without one of them the
/// browser tests are skipped and say which is missing, as the cowsay tests do without cowsay.
enum BrowserTools {
    /// The first Python 3 that imports selenium: Debian's own, where the package puts it, before one earlier on PATH
    /// (pyenv and the like) that does not see Debian's packages.
    static let python: String? = {
        let candidates = ["/usr/bin/python3"] + Self.onPath("python3")
        return candidates.first { path in
            FileManager.default.isExecutableFile(atPath: path)
                && Self.succeeds(path, ["-c", "import selenium.webdriver"])
        }
    }()

    static let chromium: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap {
        Self.onPath($0).first
    }.first

    static let chromedriver: String? =
        Self.onPath("chromedriver").first
        ?? ["/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why the browser tests cannot run here, or nil when they can.
    static let missingReason: String? = {
        var missing: [String] = []
        if Self.python == nil { missing.append("a python3 with selenium (python3-selenium)") }
        if Self.chromium == nil { missing.append("chromium") }
        if Self.chromedriver == nil { missing.append("chromedriver (chromium-driver)") }
        guard !missing.isEmpty else { return nil }
        return "browser tests need " + missing.joined(separator: ", ")
            + ": apt-get install chromium chromium-driver python3-selenium"
    }()

    /// Every executable called `name` on PATH, in PATH order.
    private static func onPath(_ name: String) -> [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.filter {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs a short check; true when it exits 0.
    private static func succeeds(_ executable: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try ProcessLaunch.run(process)
        } catch {
            return false
        }
        // Polling, not waitUntilExit() (see ServerProcess.kill); bounded: an import takes well under a second.
        for _ in 0..<3000 where process.isRunning {
            usleep(10_000)
        }
        guard !process.isRunning else {
            process.terminate()
            return false
        }
        return process.terminationStatus == 0
    }
}
