import ChatProtocol
import Foundation

/// What one node tells the others. Each node applies its own events itself as it publishes them and the others'
/// as they arrive, so an event is never applied twice on one node.
public enum ClusterEvent: Codable, Sendable, Equatable {
    /// Room lines committed by a node, per room: their sequences and, when they fit in a notification, the lines
    /// themselves (otherwise the receivers read them from the database).
    case roomLines([RoomLines])
    /// Something said to a room that is not a room line: a join, leave, rename or room change notice, or a command's
    /// block.
    case roomEvent(RoomEvent)
    /// A private message to a user on another node.
    case privateMessage(PrivateMessage)
    /// The console's `say`, to everyone in every room.
    case announcement(String)
    /// Disconnect someone wherever they are.
    case kick(Kick)
    /// An address ban the console made, so every node refuses the address.
    case addressBan(AddressBan)
    /// Address bans the console lifted.
    case liftedAddressBans([String])
    /// A password checked on a node, right or wrong: every node's login throttle counts it.
    case loginOutcome(LoginOutcome)

    public struct LoginOutcome: Codable, Sendable, Equatable {
        public var nickname: String
        /// The address key (``PeerAddress/key``).
        public var address: String
        public var right: Bool

        public init(nickname: String, address: String, right: Bool) {
            self.nickname = nickname
            self.address = address
            self.right = right
        }
    }

    /// A node's committed lines of one room, `first...last` in its sequence.
    public struct RoomLines: Codable, Sendable, Equatable {
        public var room: String
        public var first: Int64
        public var last: Int64
        /// The lines, when the notification has room for them; nil: read them from the database.
        public var lines: [Line]?

        public init(room: String, first: Int64, last: Int64, lines: [Line]?) {
            self.room = room
            self.first = first
            self.last = last
            self.lines = lines
        }
    }

    /// One committed room line, short-keyed: notifications have to stay under PostgreSQL's 8000 bytes.
    public struct Line: Codable, Sendable, Equatable {
        public var seq: Int64
        public var id: Int64
        public var from: String
        public var kind: String
        public var text: String
        public var time: Int64

        public init(_ message: SequencedMessage) {
            self.seq = message.roomSequence
            self.id = message.message.id
            self.from = message.message.sender
            self.kind = message.message.kind.rawValue
            self.text = message.message.text
            self.time = message.message.time
        }

        /// The line as the store would have returned it, in `room`.
        public func sequenced(in room: String) -> SequencedMessage {
            SequencedMessage(
                message: StoredMessage(
                    id: self.id,
                    room: room,
                    sender: self.from,
                    kind: StoredMessage.Kind(rawValue: self.kind) ?? .message,
                    text: self.text,
                    time: self.time
                ),
                roomSequence: self.seq
            )
        }
    }

    /// An event for a room's members.
    public struct RoomEvent: Codable, Sendable, Equatable {
        /// What a room's member count does with it: a big room sums arrivals and departures up instead of showing
        /// each one.
        public enum Change: String, Codable, Sendable {
            case arrival, departure
        }

        public var room: String
        public var event: ChatEvent
        /// The nickname the event is about (or is from, for a block): members ignoring them do not see it.
        public var about: String?
        public var change: Change?

        public init(room: String, event: ChatEvent, about: String?, change: Change? = nil) {
            self.room = room
            self.event = event
            self.about = about
            self.change = change
        }

        private enum CodingKeys: String, CodingKey {
            case room, event, about, change, occurrence
        }

        // The event's occurrence is not part of its wire format, so it travels beside it.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.room = try container.decode(String.self, forKey: .room)
            self.event = try container.decode(ChatEvent.self, forKey: .event)
            self.event.occurrence = try container.decodeIfPresent(ChatOccurrence.self, forKey: .occurrence)
            self.about = try container.decodeIfPresent(String.self, forKey: .about)
            self.change = try container.decodeIfPresent(Change.self, forKey: .change)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.room, forKey: .room)
            try container.encode(self.event, forKey: .event)
            try container.encodeIfPresent(self.event.occurrence, forKey: .occurrence)
            try container.encodeIfPresent(self.about, forKey: .about)
            try container.encodeIfPresent(self.change, forKey: .change)
        }
    }

    public struct PrivateMessage: Codable, Sendable, Equatable {
        public var to: String
        public var from: String
        public var text: String
        public var time: Int64

        public init(to: String, from: String, text: String, time: Int64) {
            self.to = to
            self.from = from
            self.text = text
            self.time = time
        }
    }

    /// Whom to disconnect.
    public struct Kick: Codable, Sendable, Equatable {
        public enum Target: Codable, Sendable, Equatable {
            /// Whoever uses the nickname.
            case nickname(String)
            /// Every session logged into the account (and whoever uses its nickname).
            case account(String)
            /// Everyone connecting from the address key.
            case address(String)
        }

        public var target: Target
        /// What the kicked hear (`kicked by the server: spam`), and their rooms after `left #main`.
        public var reason: String

        public init(target: Target, reason: String) {
            self.target = target
            self.reason = reason
        }
    }

    public struct AddressBan: Codable, Sendable, Equatable {
        public var address: String
        public var nickname: String
        /// Milliseconds since 1970.
        public var until: Int64
        public var reason: String?

        public init(_ ban: AddressBans.Ban) {
            self.address = ban.address
            self.nickname = ban.nickname
            self.until = Int64(ban.until.timeIntervalSince1970 * 1000)
            self.reason = ban.reason
        }

        public var ban: AddressBans.Ban {
            AddressBans.Ban(
                address: self.address,
                nickname: self.nickname,
                until: Date(timeIntervalSince1970: Double(self.until) / 1000),
                reason: self.reason
            )
        }
    }
}
