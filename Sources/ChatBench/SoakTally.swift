/// What the soak's clients did, added up: the ledger of sent messages and the faults they injected.
struct SoakTally: Sendable {
    var sent: [SentMessage] = []
    var connections = 0
    var privateMessages = 0
    var hostileLines = 0
    var overlongLines = 0
    /// `! ` answers to over-long lines that came back (each over-long line must get one).
    var overlongRefusals = 0
    var floodBursts = 0
    var floodLines = 0
    var slowDownNotices = 0
    var commandsRun = 0
    var roomChanges = 0
    var quits = 0
    var cleanCloses = 0
    var resets = 0
    /// Resets in the middle of a line (bytes after the last newline).
    var midLineCuts = 0
    /// Scripted waits for an answer that never came, and connections that could not be opened or joined.
    var timeouts = 0
    var connectFailures = 0
    var firstFailure: String?
    /// Control characters and invalid UTF-8 seen by the scripted clients (readers are counted apart).
    var controlLines = 0
    var invalidUTF8Lines = 0
    var firstBadLine: String?

    static func += (left: inout SoakTally, right: SoakTally) {
        left.sent += right.sent
        left.connections += right.connections
        left.privateMessages += right.privateMessages
        left.hostileLines += right.hostileLines
        left.overlongLines += right.overlongLines
        left.overlongRefusals += right.overlongRefusals
        left.floodBursts += right.floodBursts
        left.floodLines += right.floodLines
        left.slowDownNotices += right.slowDownNotices
        left.commandsRun += right.commandsRun
        left.roomChanges += right.roomChanges
        left.quits += right.quits
        left.cleanCloses += right.cleanCloses
        left.resets += right.resets
        left.midLineCuts += right.midLineCuts
        left.timeouts += right.timeouts
        left.connectFailures += right.connectFailures
        left.firstFailure = left.firstFailure ?? right.firstFailure
        left.controlLines += right.controlLines
        left.invalidUTF8Lines += right.invalidUTF8Lines
        left.firstBadLine = left.firstBadLine ?? right.firstBadLine
    }

    /// Counts a failed step: a time-out or a connection that did not come up.
    mutating func fail(_ error: any Error, _ what: String) {
        if case BenchError.timedOut = error {
            self.timeouts += 1
        } else {
            self.connectFailures += 1
        }
        self.firstFailure = self.firstFailure ?? "\(what): \(error)"
    }

    /// Takes in what a finished scripted client sent and received.
    mutating func collect(_ client: SoakClient?) async {
        guard let client else { return }
        self.absorb((try? await client.receipts()) ?? ReceiptLog())
        self.sent += client.sent
    }

    /// Takes in what a scripted client received: its bad lines and its slow-down notices.
    mutating func absorb(_ receipts: ReceiptLog) {
        self.controlLines += receipts.controlLines
        self.invalidUTF8Lines += receipts.invalidUTF8Lines
        self.firstBadLine = self.firstBadLine ?? receipts.firstBadLine
        self.slowDownNotices += receipts.slowDownNotices
    }
}
