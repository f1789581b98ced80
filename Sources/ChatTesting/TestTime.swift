import Foundation

/// Every time limit the tests share, in one place, stretched for slow machines.
///
/// Two kinds of wait, with opposite needs:
/// - A **positive** wait ("this line arrives", "the server starts") ends as soon as the event happens, so its limit
///   only matters when the test is already failing. Those limits are generous: the whole suite runs its suites in
///   parallel, and on a busy two-core machine a line that takes a millisecond alone can take seconds.
/// - A **negative** wait ("nothing arrives within X") always lasts its full limit, so it stays short; a test that
///   needs it to mean something sends a line the server must answer afterwards, and the server answers in order.
///
/// `SLASHCHAT_TEST_TIME_SCALE` (a number, 1 by default) multiplies every positive limit, for machines slower still
/// (emulation, sanitizers). It never shortens one below its default.
public enum TestTime {
    /// The factor from `SLASHCHAT_TEST_TIME_SCALE`, at least 1.
    public static let scale: Double = {
        let setting = ProcessInfo.processInfo.environment["SLASHCHAT_TEST_TIME_SCALE"]
        return max(1, setting.flatMap(Double.init) ?? 1)
    }()

    /// `duration` times ``scale``.
    public static func scaled(_ duration: Duration) -> Duration {
        duration * self.scale
    }

    /// How long a test waits for a line, a close or a condition it expects, when it does not say.
    public static let expected = Self.scaled(.seconds(30))

    /// How long a server (in-process or a child process) may take to start listening or to stop.
    public static let serverStartOrStop = Self.scaled(.seconds(30))

    /// How long a TCP connection to a local server may take to be established.
    public static let connect = Self.scaled(.seconds(20))

    /// How long an answer of unknown length must stay quiet before a reader takes it as complete. Longer than a busy
    /// machine's pauses between the pieces of one answer; a test that can count the lines it expects does not need
    /// it.
    public static let quietSpell = Self.scaled(.seconds(1))

    /// How long a child process (a client, a tool) may run before it counts as hung.
    public static let process = Self.scaled(.seconds(60))
}
