import ChatProtocol

/// Why a change of a room's modes was refused, so a door can answer in its own words (IRC: 442, 482, 441).
public enum RoomModeRefusal: Error, Equatable {
    case notInRoom
    case notOperator
    case noSuchMember(String)
}

/// Rooms' operators and modes: whoever creates a room is its first operator, operators make others operators or
/// voiced, and may lock the topic (`+t`). Kept per node, in memory, while the room has members here.
extension ChatHub {
    /// Whether the user is an operator of `room`.
    public func isOperator(_ id: SessionID, of room: RoomName) -> Bool {
        self.rooms[room.key]?.operators.contains(id) ?? false
    }

    /// Whether `room`'s topic is locked (`+t`).
    public func isTopicLocked(_ room: RoomName) -> Bool {
        self.rooms[room.key]?.isTopicLocked ?? false
    }

    /// Whether the user may set `room`'s topic: any member of an unlocked room, only operators of a locked one.
    public func maySetTopic(_ id: SessionID, in room: RoomName) -> Bool {
        guard let known = self.rooms[room.key], known.members.contains(where: { $0.id == id }) else { return false }
        return !known.isTopicLocked || known.operators.contains(id)
    }

    /// Applies `changes` to `room`'s modes for an operator of it; each change that changed something is told to the
    /// room (`* alice made bob an operator of #a`) and returned. A change about someone not in the room refuses
    /// that change and those after it.
    @discardableResult
    public func changeModes(
        _ id: SessionID,
        of room: RoomName,
        _ changes: [RoomModeChange]
    ) throws(RoomModeRefusal)
        -> [RoomModeChange]
    {
        guard let session = self.touch(id), session.isIn(room), let known = self.rooms[room.key] else {
            throw .notInRoom
        }
        guard known.operators.contains(id) else { throw .notOperator }
        var applied: [RoomModeChange] = []
        for var change in changes {
            switch change.mode {
            case .topicLock:
                guard self.rooms[room.key]!.isTopicLocked != change.adding else { continue }
                self.rooms[room.key]!.isTopicLocked = change.adding
            case .operator, .voice:
                guard let name = change.nickname,
                    let member = self.rooms[room.key]!.members.first(where: { $0.nickname.key == name.lowercased() })
                else { throw .noSuchMember(change.nickname ?? "") }
                change.nickname = member.nickname.name
                let changed =
                    change.mode == .operator
                    ? self.rooms[room.key]!.operators.toggle(member.id, on: change.adding)
                    : self.rooms[room.key]!.voiced.toggle(member.id, on: change.adding)
                guard changed else { continue }
            }
            applied.append(change)
            let event = ChatEvent.modeChanged(session.nickname.name, room: known.name.name, change)
            self.broadcast(event, in: known.name)
            self.publish(event, in: known.name, about: nil)
        }
        return applied
    }
}

extension Set {
    /// Inserts (`on`) or removes `element`; whether that changed the set.
    fileprivate mutating func toggle(_ element: Element, on: Bool) -> Bool {
        on ? self.insert(element).inserted : self.remove(element) != nil
    }
}
