import ChatBench
import Foundation
import Testing

@Suite(.enabled(if: ProcFileSystem.isAvailable, "needs Linux /proc")) struct ProcessStatsTests {
    /// This process's user plus system CPU time according to `getrusage`, in seconds.
    private func rusageCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        _ = getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        _ = getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    @Test func readingSelfGivesPositiveMemoryAndNonNegativeCPU() throws {
        let stats = try #require(ProcessStats.read(pid: "self"))
        #expect(stats.residentKiB > 0)
        #expect(stats.peakResidentKiB >= stats.residentKiB)
        #expect(stats.cpuSeconds >= 0)
    }

    @Test func readingOurOwnPIDGivesTheSameProcess() throws {
        let stats = try #require(ProcessStats.read(pid: String(getpid())))
        #expect(stats.residentKiB > 0)
        #expect(stats.peakResidentKiB >= stats.residentKiB)
    }

    @Test func cpuTimeAgreesWithGetrusage() throws {
        // Burn a little CPU so a misread field (a page-fault count, a start time) cannot pass by being zero.
        var sum: UInt64 = 0
        for value in 0..<UInt64(5_000_000) { sum = sum &+ (value ^ (sum >> 3)) }
        #expect(sum != 42)
        let before = self.rusageCPUSeconds()
        let stats = try #require(ProcessStats.read(pid: "self"))
        let after = self.rusageCPUSeconds()
        // /proc counts in clock ticks (usually 10 ms) and rounds down; allow a few ticks either side.
        #expect(stats.cpuSeconds >= before - 0.05)
        #expect(stats.cpuSeconds <= after + 0.05)
    }

    /// Writes `status` and `stat` files into a fresh folder and reads them through ``ProcessStats/read(pid:)``,
    /// which builds `/proc/PID/status`: a pid of `../tmp/FOLDER` reaches the folder.
    private func readFixture(status: String, stat: String) throws -> ProcessStats? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("procstats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try status.write(to: folder.appendingPathComponent("status"), atomically: true, encoding: .utf8)
        try stat.write(to: folder.appendingPathComponent("stat"), atomically: true, encoding: .utf8)
        return ProcessStats.read(pid: ".." + folder.path)
    }

    /// A `stat` line with 250 ticks of user and 150 of system time (fields 14 and 15).
    private func statLine(command: String) -> String {
        "4242 (\(command)) S 1 4242 4242 0 -1 4194560 812 0 3 0 250 150 7 9 20 0 4 0 666519 3133440 416 0\n"
    }

    /// The kernel prints these as `%8lu`: space-padded to eight digits, not padded at all from eight on.
    private func statusText(residentKiB: Int, peakKiB: Int) -> String {
        func field(_ name: String, _ value: Int) -> String {
            let digits = String(value)
            return "\(name):\t" + String(repeating: " ", count: max(0, 8 - digits.count)) + digits + " kB\n"
        }
        return "Name:\tbench\nVmPeak:\t  123456 kB\n" + field("VmHWM", peakKiB) + field("VmRSS", residentKiB)
            + "Threads:\t4\n"
    }

    private var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

    @Test(arguments: ["bench", "a b", "x) S 9 9 (y", ""])
    func parsesMemoryAndCPUFromProcFilesWhateverTheCommandName(command: String) throws {
        let status = self.statusText(residentKiB: 1024, peakKiB: 2048)
        let stats = try #require(try self.readFixture(status: status, stat: self.statLine(command: command)))
        #expect(stats.residentKiB == 1024)
        #expect(stats.peakResidentKiB == 2048)
        #expect(stats.cpuSeconds == 400 / self.ticksPerSecond)
    }

    @Test func parsesMemoryOfTenMillionKiBAndMore() throws {
        // 9.5 GiB and more: the kernel's number fills the eight columns, so no space follows the tab.
        let stats = try #require(
            try self.readFixture(
                status: self.statusText(residentKiB: 12_345_678, peakKiB: 23_456_789),
                stat: self.statLine(command: "server")
            )
        )
        #expect(stats.residentKiB == 12_345_678)
        #expect(stats.peakResidentKiB == 23_456_789)
    }

    @Test func aTruncatedStatLineGivesNil() throws {
        let status = self.statusText(residentKiB: 1024, peakKiB: 2048)
        let cutBeforeSystemTime = "4242 (bench) S 1 4242 4242 0 -1 4194560 812 0 3 0 250\n"
        #expect(try self.readFixture(status: status, stat: cutBeforeSystemTime) == nil)
        #expect(try self.readFixture(status: status, stat: "4242 bench S 1 4242\n") == nil)
    }

    @Test(arguments: ["999999999", "0", "not-a-pid", ""])
    func aProcessThatDoesNotExistGivesNil(pid: String) {
        #expect(ProcessStats.read(pid: pid) == nil)
    }
}

/// Several processes (the nodes of a cluster) reported as one server.
@Suite struct ProcessStatsTotalTests {
    @Test func theTotalAddsUpMemoryAndCPU() {
        let total = ProcessStats.total([
            ProcessStats(residentKiB: 100, peakResidentKiB: 150, cpuSeconds: 1.5),
            ProcessStats(residentKiB: 20, peakResidentKiB: 30, cpuSeconds: 0.25),
        ])
        #expect(total == ProcessStats(residentKiB: 120, peakResidentKiB: 180, cpuSeconds: 1.75))
    }

    @Test func theTotalOfNoProcessIsZero() {
        #expect(ProcessStats.total([]) == ProcessStats(residentKiB: 0, peakResidentKiB: 0, cpuSeconds: 0))
    }
}
