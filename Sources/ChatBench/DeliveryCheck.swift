/// The exact comparison behind a soak's "nothing lost": what each stable reader received against what the soak
/// sent to its room and to it.
struct DeliveryCheck: Sendable, Codable, Equatable {
    /// Deliveries owed to stable readers (one per owed message and reader it was meant for).
    var owed = 0
    /// Owed deliveries that arrived.
    var delivered = 0
    /// Owed deliveries that never arrived.
    var lost = 0
    /// Tokens that arrived after a later one from the same sender.
    var outOfOrder = 0
    /// Tokens that arrived twice at one reader.
    var duplicated = 0
    /// Tokens that reached a reader they were not meant for (another room, someone else's private message).
    var misrouted = 0
    /// Tokens of this run that no soak client sent.
    var unknown = 0
    /// Deliveries of in-flight lines (not owed) that arrived anyway.
    var uncertainArrived = 0
    /// The first few problems, described, for the report.
    var examples: [String] = []

    /// A stable reader: where it sat all run long, and what it got.
    struct Reader: Sendable {
        var nickname: String
        var room: String
        var receipts: ReceiptLog
    }

    /// True when nothing was lost, reordered, duplicated, misrouted or invented.
    var isClean: Bool {
        self.lost == 0 && self.outOfOrder == 0 && self.duplicated == 0 && self.misrouted == 0 && self.unknown == 0
    }

    /// Compares every reader's receipts with everything sent.
    static func check(sent: [SentMessage], readers: [Reader]) -> DeliveryCheck {
        var bySender: [Int: [SentMessage]] = [:]
        for message in sent { bySender[message.sender, default: []].append(message) }
        var result = DeliveryCheck()
        for reader in readers {
            let here: Set<SentMessage.Destination> = [
                .room(reader.room.lowercased()), .reader(reader.nickname.lowercased()),
            ]
            for (sender, messages) in bySender {
                let received = Set(reader.receipts.sequencesBySender[sender] ?? [])
                for message in messages {
                    let arrived = received.contains(message.sequence)
                    if here.contains(message.destination) {
                        if message.owed {
                            result.owed += 1
                            if arrived {
                                result.delivered += 1
                            } else {
                                result.lost += 1
                                result.note(
                                    "\(reader.nickname) in \(reader.room) never got \(sender)~\(message.sequence)"
                                )
                            }
                        } else if arrived {
                            result.uncertainArrived += 1
                        }
                    } else if arrived {
                        result.misrouted += 1
                        result.note(
                            "\(reader.nickname) in \(reader.room) got \(sender)~\(message.sequence), "
                                + "meant for \(message.destination)"
                        )
                    }
                }
            }
            for (sender, sequences) in reader.receipts.sequencesBySender {
                let known = Set((bySender[sender] ?? []).map(\.sequence))
                var seen = Set<Int>()
                var highest = -1
                for sequence in sequences {
                    if !known.contains(sequence) {
                        result.unknown += 1
                        result.note("\(reader.nickname) got \(sender)~\(sequence), which nobody sent")
                    }
                    if !seen.insert(sequence).inserted {
                        result.duplicated += 1
                        result.note("\(reader.nickname) got \(sender)~\(sequence) twice")
                    } else if sequence < highest {
                        result.outOfOrder += 1
                        result.note("\(reader.nickname) got \(sender)~\(sequence) after \(sender)~\(highest)")
                    }
                    highest = max(highest, sequence)
                }
            }
        }
        return result
    }

    private mutating func note(_ problem: String) {
        if self.examples.count < 10 { self.examples.append(problem) }
    }
}
