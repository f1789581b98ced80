import ChatProtocol
import NIOCore

/// The clocks of the questions asked before joining: one for choosing a nickname, one for each password answer.
/// When one runs out, the client is told why and the connection is closed.
///
/// A timer runs on the connection's event loop, so it fires even while the session waits for nothing (no line
/// comes); the session stops it as soon as the question is answered.
struct SessionTimeouts {
    private let eventLoop: any EventLoop
    private let recipient: any ChatRecipient
    private var nicknameTimer: Scheduled<Void>?
    private var passwordTimer: Scheduled<Void>?

    init(eventLoop: any EventLoop, recipient: any ChatRecipient) {
        self.eventLoop = eventLoop
        self.recipient = recipient
    }

    /// Starts the clock of the nickname question.
    mutating func startNicknameTimer(after timeout: TimeAmount) {
        self.nicknameTimer = self.schedule(after: timeout, saying: Self.nicknameReason(timeout))
    }

    mutating func stopNicknameTimer() {
        self.nicknameTimer?.cancel()
        self.nicknameTimer = nil
    }

    /// Starts the clock of one password answer (each answer has its own).
    mutating func startPasswordTimer(after timeout: TimeAmount) {
        self.passwordTimer = self.schedule(after: timeout, saying: Self.passwordReason(timeout))
    }

    mutating func stopPasswordTimer() {
        self.passwordTimer?.cancel()
        self.passwordTimer = nil
    }

    mutating func stopAll() {
        self.stopNicknameTimer()
        self.stopPasswordTimer()
    }

    static func nicknameReason(_ timeout: TimeAmount) -> String {
        "No nickname chosen within \(timeout.nanoseconds / 1_000_000_000) seconds"
    }

    static func passwordReason(_ timeout: TimeAmount) -> String {
        "No password given within \(timeout.nanoseconds / 1_000_000_000) seconds"
    }

    /// Closes the connection after `delay` unless cancelled, telling the client `reason` first.
    private func schedule(after delay: TimeAmount, saying reason: String) -> Scheduled<Void> {
        let recipient = self.recipient
        return self.eventLoop.scheduleTask(in: delay) {
            recipient.send(.error("\(reason); closing the connection."))
            recipient.closeAfterQueued()
        }
    }
}
