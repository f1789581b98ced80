/// Rooms' topics, kept so that a room's topic outlives the last member leaving and a restart (and, in a cluster, is
/// the same on every node).
public protocol RoomTopicStore: Sendable {
    /// The topic of the room with `roomKey` (``ChatProtocol/RoomName/key``); nil when it has none.
    func topic(ofRoom roomKey: String) async throws -> RoomTopic?
    /// Sets the topic of the room with `roomKey`, replacing its old one; nil clears it.
    func saveTopic(_ topic: RoomTopic?, ofRoom roomKey: String) async throws
}
