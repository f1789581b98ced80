import ChatProtocol
import Foundation

/// The shared state of the chat: who is connected, under which nickname, in which room.
///
/// An actor, so every change (a join, a rename, a room switch) is atomic and no lock is held across users.
/// Delivery never waits: each recipient's ``Outbox`` takes the bytes and the hub moves on, so one slow reader
/// cannot stall a room.
///
/// This file holds the state, joining and leaving; each concern sits in its own `ChatHub+Concern.swift`, and the
/// rules that need no actor are plain values it owns and calls (``NicknameDirectory``, ``IgnoreList``,
/// ``OfflineMessagePolicy``, ``DurationWording``), each tested on its own.
public actor ChatHub {
    private(set) var sessions: [SessionID: Member] = [:]
    /// Who goes by which nickname (one session per nickname).
    var nicknames = NicknameDirectory()
    var rooms: [String: Room] = [RoomName.lobby.key: Room(name: .lobby)]
    /// Room messages and actions between their sender and their commit (see ChatHub+RoomLines).
    var roomLines = RoomLineQueue()
    /// Join notices waiting to share one write per member (see ChatHub+JoinNotices), by room key.
    var pendingJoinNotices: [String: [(event: ChatEvent, joiner: Member)]] = [:]
    var isJoinNoticeFlushScheduled = false
    /// Where registered accounts' sessions came from, kept after they leave, for the console's `ban`.
    var recentAccountAddresses = RecentAccountAddresses()
    /// The last join's place in the order of joins (``Member/joinSequence``).
    private var lastJoinSequence: UInt64 = 0
    private(set) var isShuttingDown = false
    /// Rooms with more members than this hear their comings and goings summed up (``isBig(_:)``).
    public nonisolated let bigRoomSize: Int
    /// How often at most a big room hears that sum.
    public nonisolated let bigRoomSummaryInterval: Duration
    /// History and accounts, when the server has a store.
    public nonisolated let persistence: Persistence?
    /// The limits on logins, registrations and password changes (used only where there is a store).
    public nonisolated let accountLimits: AccountLimits
    /// Addresses the console banned (guests).
    public nonisolated let addressBans: AddressBans
    /// The join-notice windows and big-room summaries; ``ChatServer`` runs them for the hub's lifetime.
    public nonisolated let timers: HubTimers
    /// The rest of the cluster, when this hub is one node of several (``ClusterLink``); nil: this hub is the chat.
    public nonisolated let cluster: (any ClusterLink)?
    /// Nicknames being claimed in the cluster directory right now, so a second local join cannot race the first.
    var nicknamesBeingClaimed: Set<String> = []

    /// - Parameters:
    ///   - persistence: the store for history, offline messages and accounts; nil keeps nothing.
    ///   - accountLimits: the limits on logins, registrations and password changes.
    ///   - addressBans: the address bans in force (loaded from the store at start-up).
    ///   - bigRoomSize: rooms with more members hear arrivals and departures summed up, not one by one.
    ///   - bigRoomSummaryInterval: how often at most a big room hears that sum.
    ///   - clock: what the hub's timers run on (tests drive a manual one).
    ///   - cluster: the other nodes, when this hub is one node of a cluster.
    public init(
        persistence: Persistence? = nil,
        accountLimits: AccountLimits = AccountLimits(),
        addressBans: AddressBans = AddressBans(),
        bigRoomSize: Int = 200,
        bigRoomSummaryInterval: Duration = .seconds(60),
        clock: any Clock<Duration> = ContinuousClock(),
        cluster: (any ClusterLink)? = nil
    ) {
        self.cluster = cluster
        self.persistence = persistence
        self.accountLimits = accountLimits
        self.addressBans = addressBans
        self.timers = HubTimers(clock: clock)
        self.bigRoomSize = bigRoomSize
        self.bigRoomSummaryInterval = bigRoomSummaryInterval
        if let cluster {
            // One slowdown for password guessing across the cluster, whichever node the guesses go to.
            accountLimits.login.shareOutcomes { nickname, address, right in
                cluster.publish(
                    .loginOutcome(ClusterEvent.LoginOutcome(nickname: nickname, address: address, right: right))
                )
            }
        }
    }

    // MARK: Joining and leaving

    /// Whether `nickname` is in use right now, on this node or (in a cluster) on any other.
    public func isTaken(_ nickname: Nickname) async -> Bool {
        if self.nicknames.isTaken(nickname) || self.nicknamesBeingClaimed.contains(nickname.key) { return true }
        guard let cluster = self.cluster else { return false }
        return (try? await cluster.presence(of: nickname.name)) != nil
    }

    /// Adds a user to `#main` under `nickname`, welcomes them and tells the room.
    /// - Parameters:
    ///   - commands: the command names the welcome lists, for clients that complete them.
    ///   - entersLobby: false for a door whose users choose their rooms themselves (IRC): the user joins the chat
    ///     in no room, without a welcome, and enters rooms with ``enter(_:room:)``.
    public func join(
        nickname: Nickname,
        recipient: any ChatRecipient,
        address: String,
        peerKey: String? = nil,
        isRegistered: Bool = false,
        commands: [String]? = nil,
        entersLobby: Bool = true
    ) async throws(CommandError) -> SessionID {
        let taken = CommandError.failed("The nickname \(nickname) is taken; choose another nickname.")
        guard !self.nicknames.isTaken(nickname), !self.nicknamesBeingClaimed.contains(nickname.key) else {
            throw taken
        }
        let joinedAt = Self.now()
        if self.cluster != nil {
            try await self.claimInCluster(
                nickname,
                address: peerKey ?? PeerAddress(hostAndPort: address).key,
                account: isRegistered ? nickname.name : nil,
                joinedAt: joinedAt,
                entersLobby: entersLobby
            )
        }
        let id = SessionID.next()
        let now = ContinuousClock.now
        self.lastJoinSequence += 1
        let session = Member(
            id: id,
            joinSequence: self.lastJoinSequence,
            nickname: nickname,
            rooms: entersLobby ? [.lobby] : [],
            recipient: recipient,
            address: address,
            peerKey: peerKey ?? PeerAddress(hostAndPort: address).key,
            connectedAt: now,
            joinedAt: joinedAt,
            lastActivity: now,
            ownedAccount: isRegistered ? nickname.name : nil
        )
        self.sessions[id] = session
        self.nicknames.claim(nickname, for: id)
        guard entersLobby else { return id }
        let others = self.rooms[RoomName.lobby.key, default: Room(name: .lobby)].members.count
        self.rooms[RoomName.lobby.key, default: Room(name: .lobby)].members.append(session)

        let company = others == 0 ? "nobody else yet" : others == 1 ? "1 other" : "\(others) others"
        session.send(
            ChatEvent(
                kind: .welcome,
                text: "Welcome to slashchat, \(nickname)! You are in \(RoomName.lobby) with \(company). "
                    + "Type /help for commands, /quit to leave.",
                to: nickname.name,
                room: RoomName.lobby.name,
                commands: commands
            )
        )
        let joined = ChatEvent.joined(nickname.name, room: RoomName.lobby.name)
        if self.isBig(RoomName.lobby.key) {
            self.countComingOrGoing(in: RoomName.lobby.key, isArrival: true)
        } else {
            self.queueJoinNotice(joined, in: .lobby, joiner: session)
        }
        self.publish(joined, in: .lobby, about: nickname, change: .arrival)
        return id
    }

    /// Removes a user; the room hears `* NICK left #ROOM (reason)`. A registered user's place in the history is
    /// remembered, so next time they get what was said since.
    public func leave(_ id: SessionID, reason: String?) async {
        // Their last words go out before the room hears they left.
        await self.waitForOwnLines(id)
        guard let leaving = self.sessions[id] else { return }
        if let account = leaving.ownedAccount, let store = self.persistence?.store {
            // Before any state changes, so no other call ever sees the session half gone across this await: it is
            // still wholly here while the store writes. Awaited, not fire-and-forget (shutdown would race it), so
            // once the nickname is free its place in the history is saved; the caller is the connection's own task.
            if let latest = try? await store.latestMessageID() {
                try? await store.updateLastSeen(nickname: account, messageID: latest)
            }
        }
        // From here to the cluster's release at the end nothing awaits: the session leaves every table at once. (A second leave of the same
        // session, racing this one across the await above, finds it gone here.)
        guard let session = self.sessions.removeValue(forKey: id) else { return }
        if let account = session.ownedAccount {
            self.recentAccountAddresses.record(session.peerKey, for: account)
        }
        self.nicknames.release(session.nickname)
        // Someone who shares several rooms with the leaver (IRC) hears it once.
        var told: Set<ObjectIdentifier> = []
        for room in session.rooms {
            let left = ChatEvent.left(session.nickname.name, room: room.name, reason: reason)
            // The other nodes hear it even while this one shuts down: their users stay.
            self.publish(left, in: room, about: session.nickname, change: .departure)
            let wasBig = self.isBig(room.key)
            self.removeFromRoom(session, room)
            guard !self.isShuttingDown else { continue }
            if wasBig {
                self.countComingOrGoing(in: room.key, isArrival: false)
            } else {
                self.fanOut(left, inRoom: room.key) { member in
                    member.ignoring.contains(session.nickname.key) || !told.insert(ObjectIdentifier(member)).inserted
                }
            }
        }
        // A /reply must not reach whoever takes this nickname next. (Ignore lists stay: they are by nickname, so
        // a troll who reconnects under the same name stays ignored.)
        for otherID in self.sessions.keys where self.sessions[otherID]!.lastPrivateMessageFrom == session.nickname.key {
            self.sessions[otherID]!.lastPrivateMessageFrom = nil
        }
        // Last, once this node is done with the session: the cluster's claim on the nickname.
        await self.releaseInCluster(session.nickname)
    }

    /// From now on, no leave notices: everyone is being disconnected anyway.
    public func beginShutdown() {
        self.isShuttingDown = true
    }

    // MARK: Internals

    /// Marks a user active now and returns their session.
    func touch(_ id: SessionID) -> Member? {
        self.sessions[id]?.lastActivity = .now
        return self.sessions[id]
    }

    /// Takes a user out of `room`; a room other than the lobby goes when its last member does.
    func removeFromRoom(_ session: Member, _ room: RoomName) {
        session.rooms.removeAll { $0 == room }
        self.rooms[room.key]?.remove(session.id)
        guard self.rooms[room.key]?.members.isEmpty == true else { return }
        if room != .lobby {
            self.rooms.removeValue(forKey: room.key)
        } else {
            // Nobody here follows the lobby any more: the next one to enter starts from its latest line, and reads
            // its topic again (in a cluster, another node may change it meanwhile).
            self.rooms[room.key]?.deliveredSequence = nil
            self.rooms[room.key]?.knowsTopic = false
        }
    }

    /// Sends `event` to everyone in `room`, except those who ignore `subject` (the person it is about: ignoring
    /// someone hides their comings and goings too).
    func broadcast(_ event: ChatEvent, in room: RoomName, about subject: Nickname? = nil) {
        self.fanOut(event, inRoom: room.key) { member in
            subject.map { member.ignoring.contains($0.key) } ?? false
        }
    }

    /// Now, in milliseconds since 1970: the time stamp events and the store carry.
    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
