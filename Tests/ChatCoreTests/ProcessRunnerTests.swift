import ChatCore
import ChatTesting
import Foundation
import ProcessRunning
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// These tests start real `/bin/sh` scripts written into a fresh temporary folder.
@Suite struct ProcessRunnerTests {
    let folder: ScriptDirectory
    let runner = ProcessRunner()

    init() throws {
        self.folder = try ScriptDirectory()
    }

    /// Prints each argument on its own line.
    static let echoArguments = #"for argument in "$@"; do printf '%s\n' "$argument"; done"#

    // MARK: Containment

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/environ")))
    func killsAChildThatLeftTheProcessGroup() async throws {
        // `setsid` puts the sleeper in a session of its own, out of the reach of a process-group kill.
        let script = try self.folder.script("escape", "setsid sleep 40 &\necho $!")
        let outcome = try await self.runner.run(executable: script, arguments: [])
        let pid = try #require(outcome.lines.first.flatMap { Int32($0) }, "\(outcome.lines)")
        let gone = await Deadline.poll(within: TestTime.expected) { !Self.isRunning(pid) }
        if !gone { kill(pid, SIGKILL) }
        #expect(gone, "the escaped child \(pid) outlived its run")
    }

    // MARK: Exit status and output

    @Test func returnsTheOutputLinesOfASuccessfulRun() async throws {
        let script = try self.folder.script("ok", "echo one\necho 'two  words'\nprintf 'no newline'")
        let outcome = try await self.runner.run(executable: script, arguments: [])
        #expect(outcome.lines == ["one", "two  words", "no newline"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.succeeded)
        #expect(!outcome.truncated)
        #expect(!outcome.timedOut)
        #expect(outcome.firstErrorLine == nil)
    }

    @Test(arguments: [1, 2, 42, 255] as [Int32])
    func reportsANonZeroExitWithTheFirstLineOfStandardError(code: Int32) async throws {
        let script = try self.folder.script(
            "fails",
            """
            echo partial
            echo >&2
            echo "bad input: $1" >&2
            echo "second line" >&2
            exit \(code)
            """
        )
        let outcome = try await self.runner.run(executable: script, arguments: ["x"])
        #expect(outcome.exitCode == code)
        #expect(!outcome.succeeded)
        #expect(outcome.firstErrorLine == "bad input: x")
        #expect(outcome.lines == ["partial"])
        #expect(!outcome.timedOut)
    }

    @Test func aProcessKilledByASignalHasNoExitCode() async throws {
        let script = try self.folder.script("suicide", "kill -9 $$")
        let outcome = try await self.runner.run(executable: script, arguments: [])
        #expect(outcome.exitCode == nil)
        #expect(!outcome.timedOut)
        #expect(!outcome.succeeded)
    }

    @Test func aMissingProgramFailsToLaunch() async throws {
        await #expect(throws: ProcessRunner.RunError.self) {
            try await self.runner.run(executable: self.folder.file("missing"), arguments: [])
        }
        let notExecutable = try self.folder.write("plain", "#!/bin/sh\necho hi\n", permissions: 0o644)
        do throws(ProcessRunner.RunError) {
            _ = try await self.runner.run(executable: notExecutable, arguments: [])
            Issue.record("a file without execute permission ran")
        } catch {
            guard case .launchFailed = error else {
                Issue.record("expected launchFailed, got \(error)")
                return
            }
        }
    }

    // MARK: No shell anywhere

    @Test func passesEveryArgumentLiterallyWithoutAShell() async throws {
        let script = try self.folder.script("args", Self.echoArguments)
        let marker = self.folder.file("MARKER")
        let arguments = [
            "$(touch \(marker))",
            "`touch \(marker)`",
            "; touch \(marker)",
            "| touch \(marker)",
            "&& touch \(marker)",
            "> \(marker)",
            "*",
            "~",
            "$HOME",
            "",
            "two  words",
            #"'single' "double" \back"#,
        ]
        let outcome = try await self.runner.run(executable: script, arguments: arguments)
        #expect(outcome.lines == arguments)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func wordsFromShellWordsArriveAsTyped() async throws {
        let script = try self.folder.script("args", Self.echoArguments)
        let marker = self.folder.file("MARKER")
        let words = try ShellWords.split(#"2d6 "d20 + 3" $(touch \#(marker)) `id` a;b *"#)
        let outcome = try await self.runner.run(executable: script, arguments: words)
        #expect(outcome.lines == ["2d6", "d20 + 3", "$(touch", "\(marker))", "`id`", "a;b", "*"])
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func standardInputIsEmpty() async throws {
        let script = try self.folder.script("reader", "cat\necho done")
        // The longest timeout there is: a `cat` still waiting for input would take all of it and fail the test.
        var limits = ProcessRunner.Limits()
        limits.timeout = ProcessRunner.maximumTimeout
        let outcome = try await self.runner.run(executable: script, arguments: [], limits: limits)
        #expect(!outcome.timedOut)
        #expect(outcome.lines == ["done"])
    }

    // MARK: Timeout

    @Test func killsARunThatPassesItsTimeoutWithItsChildren() async throws {
        let pidFile = self.folder.file("pid")
        let script = try self.folder.script(
            "sleeper",
            """
            sleep 30 &
            echo $! > '\(pidFile)'
            echo started
            wait
            """
        )
        var limits = ProcessRunner.Limits()
        limits.timeout = .seconds(1)
        let start = ContinuousClock.now
        let outcome = try await self.runner.run(executable: script, arguments: [], limits: limits)
        let elapsed = ContinuousClock.now - start

        #expect(outcome.timedOut)
        #expect(outcome.exitCode == nil)
        #expect(!outcome.succeeded)
        // Real time is the point here, but only its order: killed at 1 s, not when the 30 s sleeper would end.
        #expect(elapsed >= .milliseconds(900))
        #expect(elapsed < .seconds(20), "\(elapsed)")

        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let child = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(child > 1)
        // SIGKILL is delivered at once, but give the process a moment to die and be reaped.
        let gone = await Deadline.poll(within: TestTime.expected) { !Self.isRunning(child) }
        #expect(gone, "the background child \(child) outlived the timeout")
    }

    // MARK: Output caps

    @Test func cutsOutputAfterTheLineCap() async throws {
        let script = try self.folder.script(
            "chatty",
            #"i=0; while [ $i -lt 1000 ]; do echo "line $i"; i=$((i + 1)); done"#
        )
        // Cut on the cap, not on the clock: with the longest timeout there is, a slow machine cannot blur the two.
        var limits = ProcessRunner.Limits()
        limits.timeout = ProcessRunner.maximumTimeout
        let outcome = try await self.runner.run(executable: script, arguments: [], limits: limits)
        #expect(outcome.truncated)
        #expect(!outcome.timedOut)
        #expect(outcome.lines.count <= limits.maxOutputLines)
        #expect(outcome.lines == (0..<limits.maxOutputLines).map { "line \($0)" })
    }

    @Test(arguments: [1, 5, 40])
    func keepsExactlyTheCapWithoutCutting(lineCap: Int) async throws {
        let script = try self.folder.script(
            "exact",
            #"i=0; while [ $i -lt "$1" ]; do echo "line $i"; i=$((i + 1)); done"#
        )
        var limits = ProcessRunner.Limits()
        limits.maxOutputLines = lineCap
        let outcome = try await self.runner.run(executable: script, arguments: ["\(lineCap)"], limits: limits)
        #expect(!outcome.truncated)
        #expect(outcome.lines.count == lineCap)
    }

    @Test func cutsOutputAfterTheByteCap() async throws {
        let script = try self.folder.script(
            "wide",
            #"i=0; while [ $i -lt 200 ]; do printf '%0500d'; i=$((i + 1)); done; echo"#
        )
        let limits = ProcessRunner.Limits()
        let outcome = try await self.runner.run(executable: script, arguments: [], limits: limits)
        #expect(outcome.truncated)
        #expect(outcome.lines.reduce(0) { $0 + $1.utf8.count } <= limits.maxOutputBytes)
        #expect(outcome.lines.first?.first == "0")
    }

    /// README: "output is capped at 40 lines and 16 KiB (cut with a note)". A last line without a newline is still
    /// a line: 41 lines must not lose the 41st without saying so.
    @Test func saysSoWhenItDropsAnUnterminatedLastLine() async throws {
        let script = try self.folder.script(
            "unterminated",
            #"i=0; while [ $i -lt 40 ]; do echo "line $i"; i=$((i + 1)); done; printf 'line 40'"#
        )
        let outcome = try await self.runner.run(executable: script, arguments: [])
        #expect(outcome.lines.count == 40)
        let truncated = outcome.truncated
        #expect(truncated)
    }

    @Test func stripsControlCharactersAndExpandsTabs() async throws {
        let script = try self.folder.script(
            "colours",
            #"""
            printf 'red \033[31mtext\033[0m bell\007 done\n'
            printf '\033]0;title\007\033[2Jcleared\n'
            printf 'tab\there\n'
            printf 'cr\rreturn\n'
            printf '\033]0;stolen title\007oops: \033[1mbad\n' >&2
            exit 1
            """#
        )
        let outcome = try await self.runner.run(executable: script, arguments: [])
        #expect(outcome.lines == ["red text bell done", "cleared", "tab     here", "crreturn"])
        #expect(outcome.firstErrorLine == "oops: bad")
    }

    // MARK: Environment and working directory

    @Test func passesOnlyTheChatVariablesAndAFixedBase() async throws {
        let script = try self.folder.script("environment", "/usr/bin/env")
        let outcome = try await self.runner.run(
            executable: script,
            arguments: [],
            environment: [
                "CHAT_NICK": "alice",
                "CHAT_ROOM": "#main",
                "SECRET": "hunter2",
                "LD_PRELOAD": "/tmp/evil.so",
                "PATH": "/tmp/evil",
                "HOME": "/root",
            ]
        )
        let variables = Dictionary(
            outcome.lines.compactMap { line in
                line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
            },
            uniquingKeysWith: { first, _ in first }
        )
        #expect(variables["CHAT_NICK"] == "alice")
        #expect(variables["CHAT_ROOM"] == "#main")
        #expect(variables["SECRET"] == nil)
        #expect(variables["LD_PRELOAD"] == nil)
        #expect(variables["PATH"] != "/tmp/evil")
        #expect(variables["HOME"] == "/tmp")
        #expect(variables["LANG"] == "C.UTF-8")
        #expect(!outcome.lines.contains { $0.contains("hunter2") })
        // Nothing of the test process's own environment leaks (the shell itself adds PWD and maybe SHLVL, `_`).
        let allowed: Set<String> = [
            "PATH", "LANG", "LC_ALL", "HOME", "CHAT_NICK", "CHAT_ROOM", "PWD", "OLDPWD", "SHLVL", "_", "SLASHCHAT_RUN",
        ]
        #expect(Set(variables.keys).subtracting(allowed) == [])
        // The run's marker, which finds children that leave the process group, is a fresh random value.
        #expect(variables["SLASHCHAT_RUN"].map { !$0.isEmpty && $0.allSatisfy(\.isHexDigit) } == true)
    }

    @Test func runsInTheWorkingDirectoryItIsGiven() async throws {
        let script = try self.folder.script("where", "pwd")
        let here = try await self.runner.run(executable: script, arguments: [], workingDirectory: self.folder.path)
        #expect(here.lines == [URL(fileURLWithPath: self.folder.path).resolvingSymlinksInPath().path])
        let standard = try await self.runner.run(executable: script, arguments: [])
        #expect(standard.lines == ["/tmp"])
    }

    // MARK: Concurrency

    @Test func turnsAwayARunWhenEverySlotIsTaken() async throws {
        let runner = ProcessRunner(maxConcurrentRuns: 2)
        let release = self.folder.file("release")
        let script = try self.folder.script(
            "waiter",
            """
            while [ ! -e "$1" ]; do sleep 0.05; done
            echo released
            """
        )
        var limits = ProcessRunner.Limits()
        limits.timeout = ProcessRunner.maximumTimeout
        let runLimits = limits
        await withTaskGroup(of: Result<ProcessRunner.Outcome, ProcessRunner.RunError>.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do throws(ProcessRunner.RunError) {
                        let outcome = try await runner.run(executable: script, arguments: [release], limits: runLimits)
                        return .success(outcome)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            // No run can finish before the release file exists, so the first result is the one turned away.
            let first = await group.next()
            #expect(first == .failure(.busy(limit: 2)))
            _ = FileManager.default.createFile(atPath: release, contents: Data())
            var others: [Result<ProcessRunner.Outcome, ProcessRunner.RunError>] = []
            for await result in group {
                others.append(result)
            }
            #expect(others.count == 2)
            for result in others {
                #expect((try? result.get())?.lines == ["released"])
            }
        }
        // Both slots are free again.
        let again = try await runner.run(executable: script, arguments: [release])
        #expect(again.lines == ["released"])
    }

    // MARK: Helpers

    /// True while `pid` is a live process. A killed child whose new parent has not reaped it yet is a zombie: it
    /// still answers `kill(pid, 0)` but runs nothing, so it counts as gone.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !status.contains(") Z ")
    }
}
