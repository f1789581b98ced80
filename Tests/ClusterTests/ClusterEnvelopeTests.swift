import ChatCore
import ChatProtocol
import Testing

@testable import ChatClusterPostgres

/// Notification payloads: the lines travel with their text while it fits, never past PostgreSQL's 8000 bytes.
struct ClusterEnvelopeTests {
    private func committed(_ count: Int, textLength: Int, rooms: Int = 1) -> [SequencedMessage] {
        (0..<count).map { index in
            SequencedMessage(
                message: StoredMessage(
                    id: Int64(index + 1),
                    room: "#room\(index % rooms)",
                    sender: "alice",
                    kind: .message,
                    text: String(repeating: "x", count: textLength),
                    time: 1_700_000_000_000
                ),
                roomSequence: Int64(index / rooms + 1)
            )
        }
    }

    @Test func aSmallBatchTravelsWithItsLines() throws {
        let payloads = ClusterEnvelope.roomLinesPayloads(self.committed(3, textLength: 20), from: "node-a")
        #expect(payloads.count == 1)
        let envelope = try #require(ClusterEnvelope.decode(payloads[0]))
        #expect(envelope.origin == "node-a")
        guard case .roomLines(let rooms) = envelope.event else {
            Issue.record("not room lines: \(envelope.event)")
            return
        }
        #expect(rooms.count == 1)
        #expect(rooms[0].room == "#room0" && rooms[0].first == 1 && rooms[0].last == 3)
        #expect(rooms[0].lines?.map(\.text) == Array(repeating: String(repeating: "x", count: 20), count: 3))
    }

    @Test func aBigBatchTravelsAsSequencesOnly() throws {
        let payloads = ClusterEnvelope.roomLinesPayloads(self.committed(10, textLength: 4000), from: "node-a")
        #expect(payloads.count == 1)
        #expect(payloads[0].utf8.count < ClusterEnvelope.payloadLimit)
        let envelope = try #require(ClusterEnvelope.decode(payloads[0]))
        guard case .roomLines(let rooms) = envelope.event else {
            Issue.record("not room lines")
            return
        }
        #expect(rooms.count == 1 && rooms[0].lines == nil && rooms[0].first == 1 && rooms[0].last == 10)
    }

    @Test func aBatchOverManyRoomsIsAnnouncedInPiecesUnderTheLimit() throws {
        let payloads = ClusterEnvelope.roomLinesPayloads(
            self.committed(400, textLength: 100, rooms: 200),
            from: "node-a"
        )
        #expect(payloads.count > 1)
        var announced: Set<String> = []
        for payload in payloads {
            #expect(payload.utf8.count < ClusterEnvelope.payloadLimit)
            guard case .roomLines(let rooms)? = ClusterEnvelope.decode(payload)?.event else {
                Issue.record("not room lines")
                return
            }
            for room in rooms {
                #expect(room.first == 1 && room.last == 2)
                announced.insert(room.room)
            }
        }
        #expect(announced.count == 200)
    }

    @Test func aBlockTooBigForANotificationIsCutToFit() throws {
        let block = ChatEvent(
            kind: .block,
            text: "alice ran /train",
            from: "alice",
            room: "#main",
            command: "train",
            lines: (0..<400).map { "\\\\ line \($0) of art //" }
        )
        let event = ClusterEvent.roomEvent(ClusterEvent.RoomEvent(room: "#main", event: block, about: "alice"))
        let payload = try #require(ClusterEnvelope.payload(event, from: "node-a"))
        #expect(payload.utf8.count <= ClusterEnvelope.payloadLimit)
        guard case .roomEvent(let cut)? = ClusterEnvelope.decode(payload)?.event else {
            Issue.record("not a room event")
            return
        }
        #expect(cut.event.lines?.last == ClusterEnvelope.cutLine)
        #expect(cut.event.lines?.first == block.lines?.first)
    }

    @Test func anEventTooBigForANotificationIsNotSent() {
        let huge = ClusterEvent.announcement(String(repeating: "y", count: 9000))
        #expect(ClusterEnvelope.payload(huge, from: "node-a") == nil)
        #expect(ClusterEnvelope.payload(.announcement("hello"), from: "node-a") != nil)
        #expect(ClusterEnvelope.decode("not json") == nil)
    }
}

/// A room event keeps its typed occurrence across nodes, though the event's own wire format leaves it out.
struct RoomEventCodingTests {
    @Test func theOccurrenceTravelsBesideTheEvent() throws {
        let event = ClusterEvent.roomEvent(
            ClusterEvent.RoomEvent(
                room: "#main",
                event: .left("bob", room: "#main", reason: "node-b stopped answering"),
                about: "bob",
                change: .departure
            )
        )
        let payload = try #require(ClusterEnvelope.payload(event, from: "node-a"))
        let decoded = try #require(ClusterEnvelope.decode(payload))
        #expect(decoded.event == event)
        guard case .roomEvent(let roomEvent) = decoded.event else { return }
        #expect(roomEvent.event.occurrence == .left(nickname: "bob", room: "#main", reason: "node-b stopped answering"))
    }
}
