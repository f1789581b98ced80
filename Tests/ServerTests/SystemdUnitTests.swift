import ChatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `Scripts/slashchat.service`: the directives a hardened chat service needs, a command line the server really
/// accepts, and, where systemd is installed, `systemd-analyze verify` and `security` on it.
@Suite struct SystemdUnitTests {
    /// The `server` built next to the test bundle (`swift build --build-tests` builds it), if there is one.
    static let serverExecutable: String? = {
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { directories.append(bundle) }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories.map { $0.appendingPathComponent("server").path }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    static let systemdAnalyze = CommandRun.find("systemd-analyze")

    private static func unit() throws -> SystemdUnit {
        try SystemdUnit(contentsOf: SystemdUnit.repositoryFile)
    }

    /// ExecStart split into words (the unit uses no quoting).
    private static func execStart(_ unit: SystemdUnit) throws -> [String] {
        let line = try #require(unit.value("ExecStart"), "the unit has no ExecStart")
        return line.split(separator: " ").map(String.init)
    }

    @Test func restartsOnFailureAndStopsTheWayTheServerShutsDownGracefully() throws {
        let unit = try Self.unit()
        #expect(unit.value("Restart") == "on-failure")
        #expect(unit.value("KillSignal") == "SIGTERM")
        let stop = try #require(unit.value("TimeoutStopSec").flatMap(SystemdUnit.seconds))
        // 2 s of flushing per client (in parallel) plus closing: less than 5 s would cut a normal shutdown short.
        #expect(stop >= 5 && stop <= 60, "TimeoutStopSec=\(stop)")
        #expect(unit.value("ExecReload")?.contains("-HUP $MAINPID") == true, "reload sends SIGHUP")
        #expect(unit.value("WantedBy", in: "Install") == "multi-user.target")
    }

    @Test func runsAsItsOwnUserWithItsDataInTheStateDirectory() throws {
        let unit = try Self.unit()
        let user = unit.value("User") ?? ""
        #expect(unit.isEnabled("DynamicUser") || (!user.isEmpty && user != "root" && user != "0"))
        #expect(unit.value("StateDirectory") == "slashchat")
        let words = try Self.execStart(unit)
        let dataDir = try #require(words.firstIndex(of: "--data-dir").map { words[$0 + 1] }, "\(words)")
        #expect(["%S/slashchat", "/var/lib/slashchat"].contains(dataDir), "--data-dir \(dataDir)")
        let commandsDir = try #require(words.firstIndex(of: "--commands-dir").map { words[$0 + 1] }, "\(words)")
        #expect(commandsDir == "%E/slashchat/commands" && unit.value("ConfigurationDirectory") == "slashchat")
        #expect(words.first?.hasPrefix("/") == true, "ExecStart names its binary by absolute path")
    }

    @Test func hasNoConsoleAndEnoughDescriptorsForEveryClient() throws {
        let unit = try Self.unit()
        #expect(unit.value("StandardInput") == "null")
        let limit = try #require(unit.value("LimitNOFILE").flatMap { Int($0.split(separator: ":").last ?? "") })
        // The server's default --max-clients is 10,000, each a descriptor, plus the store, plugins and pipes.
        #expect(limit >= 10_000 + 1_000, "LimitNOFILE=\(limit)")
    }

    @Test func isHardened() throws {
        let unit = try Self.unit()
        for directive in [
            "NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
            "ProtectKernelModules", "ProtectControlGroups", "RestrictNamespaces", "RestrictSUIDSGID",
            "LockPersonality", "MemoryDenyWriteExecute", "RestrictRealtime",
        ] {
            #expect(unit.isEnabled(directive), "\(directive)=yes")
        }
        #expect(unit.value("ProtectSystem") == "strict")
        #expect(Set(unit.list("RestrictAddressFamilies")) == ["AF_INET", "AF_INET6", "AF_UNIX"])
        #expect(unit.list("SystemCallFilter").contains("@system-service"))
        #expect(unit.values("CapabilityBoundingSet").last == "", "no capabilities unless a drop-in adds one")
        #expect(unit.list("AmbientCapabilities").isEmpty)
        // Plugins may be shell scripts: nothing /bin/sh needs may be taken away.
        #expect(unit.value("NoExecPaths") == nil)
        // A `~` denies every group on its line.
        let denied = unit.values("SystemCallFilter").filter { $0.hasPrefix("~") }
            .flatMap { $0.dropFirst().split(separator: " ").map(String.init) }
        #expect(!denied.contains("@process"), "plugins are started with posix_spawn")
    }

    /// The unit's command line, with its directories and port swapped for the test's, really starts the server
    /// with stdin at EOF, and SIGTERM (KillSignal) stops it with exit 0 well within TimeoutStopSec.
    @Test(.enabled(if: Self.serverExecutable != nil, "the server executable was not found next to the test bundle"))
    func itsCommandLineStartsTheServerAndSigtermStopsIt() async throws {
        let unit = try Self.unit()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let state = root.appendingPathComponent("state").path
        let configuration = root.appendingPathComponent("etc").path
        try FileManager.default.createDirectory(atPath: state + "/slashchat", withIntermediateDirectories: true)
        var arguments = Array(try Self.execStart(unit).dropFirst()).map {
            $0.replacingOccurrences(of: "%S", with: state).replacingOccurrences(of: "%E", with: configuration)
        }
        // HOST PORT come first: this machine only, any free port.
        #expect(arguments.count >= 2 && !arguments[0].hasPrefix("-") && Int(arguments[1]) != nil, "\(arguments)")
        arguments[0] = "127.0.0.1"
        arguments[1] = "0"

        let output = root.appendingPathComponent("stdout")
        let errors = root.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.serverExecutable))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: state + "/slashchat")
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try ProcessLaunch.run(process)
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        let listening = await Deadline.poll(within: TestTime.serverStartOrStop) {
            read(output).contains("slashchat listening on 127.0.0.1:") || !process.isRunning
        }
        #expect(listening && process.isRunning, "stdout: \(read(output))\nstderr: \(read(errors))")
        // Stdin at EOF (StandardInput=null) must not stop it.
        try await Task.sleep(for: .milliseconds(300))
        #expect(process.isRunning, "the server stopped with stdin at EOF: \(read(errors))")
        #expect(FileManager.default.fileExists(atPath: state + "/slashchat"), "the data directory")

        kill(process.processIdentifier, SIGTERM)
        let stop = try #require(unit.value("TimeoutStopSec").flatMap(SystemdUnit.seconds))
        let exited = await Deadline.poll(within: .seconds(stop)) { !process.isRunning }
        #expect(exited, "still running \(stop) s after SIGTERM")
        if exited { #expect(process.terminationStatus == 0, "stderr: \(read(errors))") }
    }

    /// `systemd-analyze verify` on a copy whose ExecStart is the built server (verify insists the binary exists),
    /// and `systemd-analyze security --offline`, which scores the hardening (0 best, 10 worst).
    @Test(
        .enabled(
            if: Self.systemdAnalyze != nil && Self.serverExecutable != nil,
            "systemd-analyze is not installed (apt-get install systemd); only the directive checks above ran"
        )
    )
    func systemdAnalyzeVerifiesItAndRatesItsExposureLow() async throws {
        let analyze = try #require(Self.systemdAnalyze)
        let server = try #require(Self.serverExecutable)
        let text = try String(contentsOf: SystemdUnit.repositoryFile, encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/slashchat-server", with: server)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("slashchat.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)

        let verify = try await CommandRun.run(analyze, ["verify", copy.path])
        #expect(verify.status == 0, "systemd-analyze verify: \(verify.standardError)")
        // verify reports unknown directives and bad values as warnings on stderr, with exit 0.
        let complaints = verify.standardError.split(separator: "\n").filter { $0.contains("slashchat.service") }
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")

        let security = try await CommandRun.run(analyze, ["security", "--offline=yes", "--threshold=25", copy.path])
        let overall = security.standardOutput.split(separator: "\n").first { $0.contains("Overall exposure level") }
        let score = overall.flatMap { line in line.split(separator: " ").compactMap { Double($0) }.first }
        #expect(score != nil && score! <= 2.5, "\(overall.map(String.init) ?? security.standardOutput)")
    }
}
