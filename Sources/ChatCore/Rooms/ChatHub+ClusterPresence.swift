import ChatProtocol
import Logging

/// The hub's side of the cluster directory: claiming and freeing nicknames cluster-wide, telling the other nodes
/// where this node's users are, and publishing what a room's members on other nodes must hear. Every function is a
/// no-op without a cluster, so a single box does exactly what it did.
extension ChatHub {
    /// Claims `nickname` in the cluster directory for a user about to join, or throws when someone anywhere holds it
    /// (or the directory cannot be reached: then nobody can be sure it is free).
    func claimInCluster(
        _ nickname: Nickname,
        address: String,
        account: String?,
        joinedAt: Int64,
        entersLobby: Bool
    ) async throws(CommandError) {
        guard let cluster = self.cluster else { return }
        self.nicknamesBeingClaimed.insert(nickname.key)
        defer { self.nicknamesBeingClaimed.remove(nickname.key) }
        let presence = Presence(
            nickname: nickname.name,
            node: cluster.nodeName,
            rooms: entersLobby ? [RoomName.lobby.name] : [],
            address: address,
            account: account,
            awayMessage: nil,
            connectedAt: joinedAt
        )
        let claimed: Bool
        do {
            claimed = try await cluster.claim(presence)
        } catch {
            throw .failed("Nicknames cannot be checked right now (\(error)); try again in a moment.")
        }
        guard claimed else { throw .failed("The nickname \(nickname) is taken; choose another nickname.") }
        // Follow the lobby from where it is now, before the newcomer is in it (see startOfFollowing).
        if entersLobby, let start = await self.startOfFollowing(RoomName.lobby.key),
            self.rooms[RoomName.lobby.key]?.deliveredSequence == nil
        {
            self.rooms[RoomName.lobby.key]?.deliveredSequence = start
        }
    }

    /// Frees `nickname` in the cluster directory once this node is done with its user; meanwhile nobody here can
    /// take it (the claim would fail while the old row is there).
    func releaseInCluster(_ nickname: Nickname) async {
        guard let cluster = self.cluster else { return }
        self.nicknamesBeingClaimed.insert(nickname.key)
        defer { self.nicknamesBeingClaimed.remove(nickname.key) }
        do {
            try await cluster.release(nickname.key)
        } catch {
            // The node's heartbeat puts the directory right once the database is back (reassertPresence).
            Self.clusterLogger.warning(
                "could not free a nickname in the cluster directory",
                metadata: ["nickname": "\(nickname)", "error": "\(error)"]
            )
        }
    }

    /// Tells the other nodes what `member` now looks like (room, away message); `entering`: a room it is about to
    /// enter, shown as its focus already.
    func updatePresence(of member: Member, entering room: RoomName? = nil) {
        guard let cluster = self.cluster else { return }
        var presence = self.presence(of: member, node: cluster.nodeName)
        if let room { presence.rooms.insert(room.name, at: 0) }
        cluster.update(presence)
    }

    /// The directory's row for a user of this node.
    func presence(of member: Member, node: String) -> Presence {
        Presence(
            nickname: member.nickname.name,
            node: node,
            rooms: member.rooms.reversed().map(\.name),
            address: member.peerKey,
            account: member.ownedAccount,
            awayMessage: member.awayMessage,
            connectedAt: member.joinedAt
        )
    }

    /// This node's users as the cluster directory should show them, the nicknames being claimed or freed right
    /// now, and when (milliseconds since 1970): what the node writes back after the directory and it disagreed.
    public func directorySnapshot() -> (users: [Presence], busy: Set<String>, takenAt: Int64) {
        guard let cluster = self.cluster else { return ([], [], Self.now()) }
        let users = self.sessions.values.sorted { $0.joinSequence < $1.joinSequence }.map {
            self.presence(of: $0, node: cluster.nodeName)
        }
        return (users, self.nicknamesBeingClaimed, Self.now())
    }

    /// Sends a room event to the room's members on the other nodes.
    func publish(
        _ event: ChatEvent,
        in room: RoomName,
        about subject: Nickname?,
        change: ClusterEvent.RoomEvent.Change? = nil
    ) {
        self.cluster?.publish(
            .roomEvent(ClusterEvent.RoomEvent(room: room.name, event: event, about: subject?.name, change: change))
        )
    }

    /// Where this node starts following the room with key `roomKey` (its latest committed line), when it does not
    /// follow it yet: lines committed after that are delivered here in their order, earlier ones are history. Nil
    /// without a cluster, when the room is followed already, or when the database does not answer (the first line
    /// delivered then sets the start).
    ///
    /// Asked before the first local member enters, so a line another node commits meanwhile is not missed: it is
    /// either before the start (history) or after it (delivered, fetched from the database if its notification came
    /// while nobody here was in the room).
    func startOfFollowing(_ roomKey: String) async -> Int64? {
        guard let cluster = self.cluster, self.rooms[roomKey]?.deliveredSequence == nil else { return nil }
        return try? await cluster.latestSequence(in: roomKey)
    }
}
