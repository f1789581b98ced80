import ChatEmoji
import ChatProtocol
import Foundation

/// Rooms' topics: set with `/topic` (IRC's `TOPIC`), kept in the store with the room, told to whoever enters.
extension ChatHub {
    /// The topic of `room`; nil when it has none (or the store cannot say right now).
    public func topic(of room: RoomName) async -> RoomTopic? {
        await self.learnTopic(of: room)
        if let known = self.rooms[room.key], known.knowsTopic { return known.topic }
        return try? await self.persistence?.store.topic(ofRoom: room.key)
    }

    /// Sets the topic of `room` (the user's focus when nil), or clears it when `text` is nil or blank; the user must
    /// be in the room. Stored first, so a topic anyone saw survives a restart; then the room (the user included)
    /// hears `* NICK set the topic of ROOM: TOPIC`, on every node. Returns the room.
    @discardableResult
    public func setTopic(
        _ id: SessionID,
        in room: RoomName? = nil,
        to text: String?
    ) async throws(CommandError)
        -> RoomName
    {
        guard let session = self.touch(id) else { throw .failed("You have left the chat.") }
        guard let room = room ?? session.room else { throw .failed("You are in no room.") }
        guard session.isIn(room) else { throw .failed("You are not in \(room).") }
        guard self.maySetTopic(id, in: room) else {
            throw .failed("The topic of \(room) is locked: only its operators set it.")
        }
        let cleaned = text.map { EmojiTable.standard.expand(Sanitizer.clean($0)).trimmingSpacesAndTabs() }
        let topic = cleaned.flatMap {
            $0.isEmpty ? nil : RoomTopic(text: $0, setBy: session.nickname.name, setAt: Date())
        }
        if let topic, topic.text.count > RoomTopic.maximumLength || topic.text.utf8.count > 4 * RoomTopic.maximumLength
        {
            throw .failed("A topic has at most \(RoomTopic.maximumLength) characters.")
        }
        if let store = self.persistence?.store {
            do {
                try await store.saveTopic(topic, ofRoom: room.key)
            } catch {
                throw .failed("The topic could not be saved; nothing changed. Try again in a moment.")
            }
        }
        // The store's answer may have suspended: the user may have left the room meanwhile; the topic stands.
        let shown = self.rooms[room.key]?.name ?? room
        if self.rooms[room.key] != nil {
            self.rooms[room.key]!.topic = topic
            self.rooms[room.key]!.knowsTopic = true
        }
        let changed = ChatEvent.topicChanged(session.nickname.name, room: shown.name, to: topic?.text)
        self.broadcast(changed, in: shown)
        self.publish(changed, in: shown, about: nil)
        return shown
    }

    /// Tells the user `* Topic of ROOM: TOPIC (set by NICK)` (IRC: 332 and 333) if the room has one: on entering it.
    func tellTopic(to id: SessionID, of room: RoomName) async {
        await self.learnTopic(of: room)
        guard let session = self.sessions[id], session.isIn(room), let known = self.rooms[room.key],
            let topic = known.topic
        else { return }
        session.send(topic.announcement(in: known.name))
    }

    /// Reads the topic of `room` from the store when this node has the room but does not know its topic yet.
    private func learnTopic(of room: RoomName) async {
        guard let known = self.rooms[room.key], !known.knowsTopic else { return }
        var stored: RoomTopic?
        if let store = self.persistence?.store {
            do {
                stored = try await store.topic(ofRoom: room.key)
            } catch {
                return  // Unknown stays unknown when the store does not answer: the next one to enter asks again.
            }
        }
        // Someone may have set it while the store answered: theirs is newer.
        guard self.rooms[room.key]?.knowsTopic == false else { return }
        self.rooms[room.key]!.topic = stored
        self.rooms[room.key]!.knowsTopic = true
    }

    /// Another node's `/topic` in the room with `roomKey`: this node's copy follows it.
    func followTopicChange(in roomKey: String, setBy nickname: String, to text: String?) {
        guard self.rooms[roomKey] != nil else { return }
        self.rooms[roomKey]!.topic = text.map { RoomTopic(text: $0, setBy: nickname, setAt: Date()) }
        self.rooms[roomKey]!.knowsTopic = true
    }
}
