import ChatProtocol
import ChatTesting
import NIOCore
import NIOPosix
import Testing

@testable import ChatCore

/// ``SessionTimeouts``: a clock that runs out tells the client why and closes; a stopped one never fires.
@Suite struct SessionTimeoutsTests {
    @Test func theReasonsSayWhichQuestionAndHowLong() {
        #expect(SessionTimeouts.nicknameReason(.seconds(60)) == "No nickname chosen within 60 seconds")
        #expect(SessionTimeouts.passwordReason(.seconds(30)) == "No password given within 30 seconds")
    }

    @Test func aTimerThatRunsOutTellsWhyAndCloses() async throws {
        let recipient = MemoryRecipient()
        var timeouts = SessionTimeouts(eventLoop: MultiThreadedEventLoopGroup.singleton.next(), recipient: recipient)
        timeouts.startNicknameTimer(after: .milliseconds(1))
        try await recipient.lines(untilLine: "! No nickname chosen within 0 seconds; closing the connection.")
        #expect(await Deadline.poll(within: TestTime.expected) { recipient.isClosed })
    }

    @Test func aStoppedTimerNeverFires() async throws {
        let recipient = MemoryRecipient()
        var timeouts = SessionTimeouts(eventLoop: MultiThreadedEventLoopGroup.singleton.next(), recipient: recipient)
        // A second, so a busy machine cannot let it fire before it is stopped (5 ms once did).
        timeouts.startNicknameTimer(after: .seconds(1))
        timeouts.stopNicknameTimer()
        // Both on the same event loop: had the nickname timer not been stopped, it would have fired first.
        timeouts.startPasswordTimer(after: .milliseconds(1500))
        let lines = try await recipient.lines(until: { $0.hasPrefix("! No password given") })
        #expect(lines == ["! No password given within 1 seconds; closing the connection."])
    }
}
