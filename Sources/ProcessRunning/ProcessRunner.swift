import ChatProtocol
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs external programs for chat commands, safely: an argv and never a shell, no stdin, a small fixed
/// environment, a timeout that kills the whole process group, capped output, and a cap on how many run at once.
public final class ProcessRunner: Sendable {
    /// Bounds on one run.
    public struct Limits: Sendable {
        /// Killed (with its children) after this long. Never more than ``maximumTimeout``.
        public var timeout: Duration = .seconds(5)
        /// Output lines kept; the rest is cut with a note.
        public var maxOutputLines = 40
        /// Output bytes kept; the rest is cut with a note.
        public var maxOutputBytes = 16 * 1024
        /// stderr bytes kept (only its first line is ever shown).
        public var maxErrorBytes = 4 * 1024

        public init() {}
    }

    /// The longest any external command may run.
    public static let maximumTimeout = Duration.seconds(10)

    /// What one run produced.
    public struct Outcome: Sendable, Equatable {
        /// stdout, split into lines and sanitised like user text.
        public var lines: [String]
        /// True when the output passed a cap and was cut.
        public var truncated: Bool
        /// True when the program was still printing at the cap and was killed for it: its exit status is then ours,
        /// not its own, and says nothing about whether it worked.
        public var stoppedAtCap: Bool = false
        /// True when the run passed its timeout and was killed.
        public var timedOut: Bool
        /// The exit code, or nil when the process died from a signal.
        public var exitCode: Int32?
        /// The first non-empty line of stderr, sanitised.
        public var firstErrorLine: String?

        /// Exited with status 0 in time.
        public var succeeded: Bool { !self.timedOut && self.exitCode == 0 }
    }

    /// Why a run did not happen.
    public enum RunError: Error, Equatable {
        /// Every slot is taken; try again shortly.
        case busy(limit: Int)
        /// The program could not be started.
        case launchFailed(String)
    }

    /// How many external programs may run at once, server-wide.
    public let maxConcurrentRuns: Int
    private let running = Mutex(0)

    public init(maxConcurrentRuns: Int = 4) {
        self.maxConcurrentRuns = maxConcurrentRuns
    }

    /// Runs `executable` (an absolute path) with `arguments` as separate argv words.
    public func run(
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        workingDirectory: String = "/tmp",
        limits: Limits = Limits()
    ) async throws(RunError) -> Outcome {
        guard self.acquireSlot() else { throw .busy(limit: self.maxConcurrentRuns) }
        defer { self.releaseSlot() }
        var attempt = 1
        while true {
            do {
                return try await Self.execute(
                    executable: executable,
                    arguments: arguments,
                    environment: environment,
                    workingDirectory: workingDirectory,
                    limits: limits
                )
            } catch let error as SubprocessError where error.underlyingError == .textFileBusy && attempt < 4 {
                // ETXTBSY: the file is still open for writing somewhere, typically a plugin being copied in, or
                // inherited for an instant by another program's fork. Gone in milliseconds; try again shortly.
                try? await Task.sleep(for: .milliseconds(20 * attempt))
                attempt += 1
            } catch {
                throw .launchFailed("\(error)")
            }
        }
    }

    private func acquireSlot() -> Bool {
        self.running.withLock { running in
            guard running < self.maxConcurrentRuns else { return false }
            running += 1
            return true
        }
    }

    private func releaseSlot() {
        self.running.withLock { $0 -= 1 }
    }

    /// The environment every external command gets: nothing of the server's own beyond PATH and a UTF-8 locale.
    static func baseEnvironment(adding extra: [String: String], marker: RunMarker? = nil) -> Environment {
        var values: [Environment.Key: String] = [
            "PATH": ExecutableSearch.searchPath.joined(separator: ":"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "HOME": "/tmp",
        ]
        if let marker {
            values[Environment.Key(stringLiteral: RunMarker.variable)] = marker.value
        }
        for (key, value) in extra {
            switch key {
            case "CHAT_NICK": values["CHAT_NICK"] = value
            case "CHAT_ROOM": values["CHAT_ROOM"] = value
            default: continue  // Only the documented variables are passed.
            }
        }
        return .custom(values)
    }

    private enum Piece: Sendable {
        case output([UInt8], truncated: Bool)
        case error([UInt8])
        case deadline
    }

    private static func execute(
        executable: String,
        arguments: [String],
        environment: [String: String],
        workingDirectory: String,
        limits: Limits
    ) async throws -> Outcome {
        var options = PlatformOptions()
        // Its own process group, so a timeout kills the children it spawned too.
        options.processGroupID = 0
        let timeout = min(limits.timeout, Self.maximumTimeout)
        // Children that leave the process group (setsid, a new session) still carry this; see RunMarker.
        let marker = RunMarker()
        defer { marker.killStragglers() }

        let result = try await Subprocess.run(
            .path(FilePath(executable)),
            arguments: Arguments(arguments),
            environment: Self.baseEnvironment(adding: environment, marker: marker),
            workingDirectory: FilePath(workingDirectory),
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .sequence
        ) { execution in
            try await withThrowingTaskGroup(of: Piece.self) { group in
                group.addTask {
                    var bytes: [UInt8] = []
                    for try await buffer in execution.standardOutput {
                        buffer.withUnsafeBytes { bytes.append(contentsOf: $0) }
                        if bytes.count > limits.maxOutputBytes || Self.lineCount(of: bytes) > limits.maxOutputLines + 1
                        {
                            return .output(bytes, truncated: true)
                        }
                    }
                    return .output(bytes, truncated: false)
                }
                group.addTask {
                    var bytes: [UInt8] = []
                    // Keep draining past the cap so the program never blocks on a full stderr pipe.
                    for try await buffer in execution.standardError where bytes.count < limits.maxErrorBytes {
                        buffer.withUnsafeBytes {
                            bytes.append(contentsOf: $0.prefix(limits.maxErrorBytes - bytes.count))
                        }
                    }
                    return .error(bytes)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .deadline
                }

                var output: [UInt8] = []
                var errorOutput: [UInt8] = []
                var truncated = false
                var stoppedAtCap = false
                var timedOut = false
                var streamsOpen = 2
                while streamsOpen > 0, let piece = try await group.next() {
                    switch piece {
                    case .output(let bytes, let cut):
                        output = bytes
                        truncated = cut
                        streamsOpen -= 1
                        if cut {
                            // Enough is enough: stop the program rather than let it block on a full pipe, and stop
                            // waiting for its stderr, which a straggler could hold open until the deadline.
                            stoppedAtCap = true
                            try? execution.send(signal: .kill, toProcessGroup: true)
                            group.cancelAll()
                            streamsOpen = 0
                        }
                    case .error(let bytes):
                        errorOutput = bytes
                        streamsOpen -= 1
                    case .deadline:
                        timedOut = true
                        try? execution.send(signal: .kill, toProcessGroup: true)
                        // A grandchild that escaped the group could keep the pipes open: stop waiting for them.
                        group.cancelAll()
                        streamsOpen = 0
                    }
                }
                group.cancelAll()
                if !timedOut {
                    // Output is complete; make sure nothing of the group lingers (daemonised children).
                    try? execution.send(signal: .kill, toProcessGroup: true)
                }
                return (output, errorOutput, truncated, stoppedAtCap, timedOut)
            }
        }

        let (output, errorOutput, cut, stoppedAtCap, timedOut) = result.closureResult
        // The stream check counts newlines; a last line without one can still be one line too many.
        let truncated = cut || Self.lineCount(of: output) > limits.maxOutputLines
        var exitCode: Int32?
        if case .exited(let code) = result.terminationStatus {
            exitCode = code
        }
        return Outcome(
            lines: Self.lines(from: output, limits: limits),
            truncated: truncated,
            stoppedAtCap: stoppedAtCap,
            timedOut: timedOut,
            exitCode: timedOut ? nil : exitCode,
            firstErrorLine: Self.lines(from: errorOutput, limits: limits).first { !$0.isEmpty }
        )
    }

    /// How many lines `bytes` holds, counting a last line without a newline.
    static func lineCount(of bytes: [UInt8]) -> Int {
        let newlines = bytes.lazy.filter { $0 == UInt8(ascii: "\n") }.count
        return newlines + (bytes.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
    }

    /// Splits output into sanitised lines, within the caps.
    static func lines(from bytes: [UInt8], limits: Limits) -> [String] {
        let text = String(decoding: bytes.prefix(limits.maxOutputBytes), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            Sanitizer.clean(String($0)).replacingTabs()
        }
        if lines.last == "" { lines.removeLast() }
        return Array(lines.prefix(limits.maxOutputLines))
    }
}

extension String {
    /// Tabs expanded to 8-column stops, so blocks line up the same on every terminal.
    func replacingTabs() -> String {
        guard self.contains("\t") else { return self }
        var output = ""
        var column = 0
        for character in self {
            if character == "\t" {
                let spaces = 8 - column % 8
                output += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                output.append(character)
                column += 1
            }
        }
        return output
    }
}
