import ChatEmoji
import ChatProtocol
import Foundation

/// The shared state of the chat: who is connected, under which nickname, in which room.
///
/// An actor, so every change (a join, a rename, a room switch) is atomic and no lock is held across users.
/// Delivery never waits: each recipient's ``Outbox`` takes the bytes and the hub moves on, so one slow reader
/// cannot stall a room.
public actor ChatHub {
    private(set) var sessions: [SessionID: Member] = [:]
    private var sessionsByNickname: [String: SessionID] = [:]
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
    /// Addresses the console banned (guests).
    public nonisolated let addressBans: AddressBans
    /// The join-notice windows and big-room summaries; ``ChatServer`` runs them for the hub's lifetime.
    public nonisolated let timers: HubTimers

    /// - Parameters:
    ///   - persistence: the store for history, offline messages and accounts; nil keeps nothing.
    ///   - addressBans: the address bans in force (loaded from the store at start-up).
    ///   - bigRoomSize: rooms with more members hear arrivals and departures summed up, not one by one.
    ///   - bigRoomSummaryInterval: how often at most a big room hears that sum.
    ///   - clock: what the hub's timers run on (tests drive a manual one).
    public init(
        persistence: Persistence? = nil,
        addressBans: AddressBans = AddressBans(),
        bigRoomSize: Int = 200,
        bigRoomSummaryInterval: Duration = .seconds(60),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.persistence = persistence
        self.addressBans = addressBans
        self.timers = HubTimers(clock: clock)
        self.bigRoomSize = bigRoomSize
        self.bigRoomSummaryInterval = bigRoomSummaryInterval
    }

    // MARK: Joining and leaving

    /// Whether `nickname` is in use right now.
    public func isTaken(_ nickname: Nickname) -> Bool {
        self.sessionsByNickname[nickname.key] != nil
    }

    /// Adds a user to `#main` under `nickname`, welcomes them and tells the room.
    /// - Parameter commands: the command names the welcome lists, for clients that complete them.
    public func join(
        nickname: Nickname,
        recipient: any ChatRecipient,
        address: String,
        peerKey: String? = nil,
        isRegistered: Bool = false,
        commands: [String]? = nil
    ) throws(CommandError) -> SessionID {
        guard self.sessionsByNickname[nickname.key] == nil else {
            throw .failed("The nickname \(nickname) is taken; choose another nickname.")
        }
        let id = SessionID.next()
        let now = ContinuousClock.now
        self.lastJoinSequence += 1
        let session = Member(
            id: id,
            joinSequence: self.lastJoinSequence,
            nickname: nickname,
            room: .lobby,
            recipient: recipient,
            address: address,
            peerKey: peerKey ?? PeerAddress(hostAndPort: address).key,
            connectedAt: now,
            lastActivity: now,
            ownedAccount: isRegistered ? nickname.name : nil
        )
        self.sessions[id] = session
        self.sessionsByNickname[nickname.key] = id
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
        if self.isBig(RoomName.lobby.key) {
            self.countComingOrGoing(in: RoomName.lobby.key, isArrival: true)
        } else {
            self.queueJoinNotice(
                ChatEvent(kind: .notice, text: "\(nickname) joined \(RoomName.lobby)", room: RoomName.lobby.name),
                in: .lobby,
                joiner: session
            )
        }
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
        // From here to the end nothing awaits: the session leaves every table at once. (A second leave of the same
        // session, racing this one across the await above, finds it gone here.)
        guard let session = self.sessions.removeValue(forKey: id) else { return }
        if let account = session.ownedAccount {
            self.recentAccountAddresses.record(session.peerKey, for: account)
        }
        self.sessionsByNickname.removeValue(forKey: session.nickname.key)
        let wasBig = self.isBig(session.room.key)
        self.removeFromRoom(session)
        // A /reply must not reach whoever takes this nickname next. (Ignore lists stay: they are by nickname, so
        // a troll who reconnects under the same name stays ignored.)
        for otherID in self.sessions.keys where self.sessions[otherID]!.lastPrivateMessageFrom == session.nickname.key {
            self.sessions[otherID]!.lastPrivateMessageFrom = nil
        }
        guard !self.isShuttingDown else { return }
        guard !wasBig else {
            self.countComingOrGoing(in: session.room.key, isArrival: false)
            return
        }
        let suffix = reason.map { " (\($0))" } ?? ""
        self.broadcast(
            ChatEvent(kind: .notice, text: "\(session.nickname) left \(session.room)\(suffix)", room: session.room.name),
            in: session.room,
            about: session.nickname
        )
    }

    /// From now on, no leave notices: everyone is being disconnected anyway.
    public func beginShutdown() {
        self.isShuttingDown = true
    }

    // MARK: Talking

    /// A private message to `recipientName`, emoji shortcodes expanded.
    public func sendPrivateMessage(
        _ text: String,
        to recipientName: String,
        from id: SessionID
    ) async throws(CommandError) {
        guard let sender = self.touch(id) else { return }
        let text = EmojiTable.standard.expand(text)
        let time = Self.now()
        guard let recipientID = self.sessionsByNickname[recipientName.lowercased()],
            let recipient = self.sessions[recipientID]
        else {
            try await self.keepForLater(text, to: recipientName, from: sender, time: time)
            return
        }
        if !recipient.ignoring.contains(sender.nickname.key) {
            // A recipient whose connection is closing (a /quit a moment ago) takes nothing: then the message is kept
            // for later like any other to someone offline, never lost while its sender hears nothing.
            guard recipient.send(ChatEvent(kind: .privateMessage, text: text, from: sender.nickname.name, time: time))
            else {
                try await self.keepForLater(text, to: recipient.nickname.name, from: sender, time: time)
                return
            }
            recipient.lastPrivateMessageFrom = sender.nickname.key
        }
        if let store = self.persistence?.store {
            let stored = StoredPrivateMessage(sender: sender.nickname.name, recipient: recipient.nickname.name, text: text, time: time)
            try? await store.storePrivateMessage(stored, delivered: true)
        }
        if sender.format == .json {
            sender.send(
                ChatEvent(
                    kind: .privateMessage,
                    text: text,
                    from: sender.nickname.name,
                    to: recipient.nickname.name,
                    time: time
                )
            )
        }
        if let away = recipient.awayMessage {
            sender.send(.notice("\(recipient.nickname) is away: \(away)"))
        }
    }

    /// A private message to whoever last sent one to `id`.
    public func reply(_ text: String, from id: SessionID) async throws(CommandError) {
        guard let sender = self.sessions[id] else { return }
        guard let target = sender.lastPrivateMessageFrom else {
            throw .failed("No one has sent you a private message yet, so there is no one to /reply to.")
        }
        try await self.sendPrivateMessage(text, to: target, from: id)
    }

    /// Private messages one registered user may have waiting while offline, from everyone together.
    public static let maximumWaitingPrivateMessages = 500
    /// ... and from any one sender.
    public static let maximumWaitingPrivateMessagesPerSender = 50

    /// A PM to someone offline: kept for a registered nickname (delivered at its next login), an error otherwise.
    private func keepForLater(_ text: String, to recipientName: String, from sender: Member, time: Int64) async throws(CommandError) {
        let offline = "No one called \(Sanitizer.clean(recipientName)) is online; /who lists your room, /rooms the others."
        guard let store = self.persistence?.store, Nickname.isPlausible(recipientName) else { throw .failed(offline) }
        let account: Account?
        do {
            account = try await store.account(for: recipientName)
        } catch {
            throw .failed("Could not check whether \(recipientName) is registered: \(error)")
        }
        guard let account else { throw .failed(offline) }
        let waiting: (all: Int, fromSender: Int)
        do {
            waiting = try await store.countUndeliveredPrivateMessages(for: account.nickname, from: sender.nickname.name)
        } catch {
            throw .failed("Your message to \(account.nickname) could not be saved: \(error)")
        }
        // Bounded, so one sender (or everyone together) cannot fill the store or a replay for one recipient.
        if waiting.all >= Self.maximumWaitingPrivateMessages {
            throw .failed(
                "\(account.nickname) already has \(waiting.all) private messages waiting; yours was not kept. Try again once they have logged in."
            )
        }
        if waiting.fromSender >= Self.maximumWaitingPrivateMessagesPerSender {
            throw .failed(
                "You already have \(waiting.fromSender) private messages waiting for \(account.nickname); yours was not kept. Try again once they have logged in."
            )
        }
        do {
            let stored = StoredPrivateMessage(sender: sender.nickname.name, recipient: account.nickname, text: text, time: time)
            try await store.storePrivateMessage(stored, delivered: false)
        } catch {
            throw .failed("Your message to \(account.nickname) could not be saved: \(error)")
        }
        sender.send(.notice("\(account.nickname) is offline; your message will be delivered when they next log in."))
    }

    /// A multi-line block from a command, under a `* NICK ran /COMMAND ARGS` header: to the caller's whole room
    /// (caller included; those with `/fun off` skipped) or to the caller only.
    ///
    /// With `roomCooldown`, the block is big: it is refused while the room's previous big block is younger than
    /// that, so nobody can wallpaper a room.
    public func postBlock(
        _ lines: [String],
        command: String,
        arguments: String = "",
        animation: String? = nil,
        from id: SessionID,
        toRoom: Bool,
        roomCooldown: Duration? = nil
    ) throws(CommandError) {
        guard let sender = self.touch(id) else { return }
        let now = ContinuousClock.now
        if toRoom, let roomCooldown {
            if let last = self.rooms[sender.room.key]?.lastBigBlock, last.nextAllowedAt > now {
                let seconds = Int((last.nextAllowedAt - now).components.seconds) + 1
                throw .failed(
                    "\(sender.room) just had a big block (/\(last.command) by \(last.postedBy)); "
                        + "/\(command) can run in \(seconds)s."
                )
            }
            self.rooms[sender.room.key]?.lastBigBlock = Room.BigBlock(
                command: command,
                postedBy: sender.nickname,
                nextAllowedAt: now + roomCooldown
            )
        }
        let shownArguments = arguments.count > 60 ? arguments.prefix(57) + "..." : Substring(arguments)
        let header = "\(sender.nickname) ran /\(command)" + (shownArguments.isEmpty ? "" : " \(shownArguments)")
        let event = ChatEvent(
            kind: .block,
            text: header,
            from: sender.nickname.name,
            room: sender.room.name,
            command: command,
            lines: lines,
            animation: animation,
            time: Self.now()
        )
        guard toRoom else {
            sender.send(event)
            return
        }
        self.fanOut(event, inRoom: sender.room.key) { member in
            member.id != id && (member.mutesFun || member.ignoring.contains(sender.nickname.key))
        }
    }

    /// Turns other people's command blocks off (or back on) for a user.
    public func setFunMuted(_ muted: Bool, for id: SessionID) {
        self.sessions[id]?.mutesFun = muted
    }

    /// A user's nickname and room.
    public func whereabouts(of id: SessionID) -> (nickname: Nickname, room: RoomName)? {
        self.sessions[id].map { ($0.nickname, $0.room) }
    }

    /// Who spoke last in the user's room, and whether they come before (-1) or after (+1) the user in the
    /// member list (0: the user, or nobody yet). `/eyes` looks that way.
    public func lastSpeaker(seenBy id: SessionID) -> (nickname: Nickname, direction: Int)? {
        guard let session = self.sessions[id], let room = self.rooms[session.room.key],
            let speakerID = room.lastSpeaker, let speaker = self.sessions[speakerID],
            let speakerIndex = room.members.firstIndex(where: { $0.id == speakerID }),
            let ownIndex = room.members.firstIndex(where: { $0.id == id })
        else { return nil }
        return (speaker.nickname, speakerIndex < ownIndex ? -1 : speakerIndex > ownIndex ? 1 : 0)
    }

    /// Sends `event` to one user.
    public func deliver(_ event: ChatEvent, to id: SessionID) {
        self.sessions[id]?.send(event)
    }

    /// An admin announcement, `* server: TEXT`, to everyone in every room.
    public func announce(_ text: String) {
        let event = ChatEvent(kind: .notice, text: "server: \(text)", from: "server")
        for roomKey in self.rooms.keys {
            self.fanOut(event, inRoom: roomKey)
        }
    }

    // MARK: Identity and rooms

    /// Changes a user's nickname; the room (and the user) hear `* old is now known as new`.
    public func rename(_ id: SessionID, to candidate: String) async throws(CommandError) {
        guard var session = self.touch(id) else { return }
        let newName: Nickname
        do {
            newName = try Nickname(validating: candidate)
        } catch {
            throw .failed("Invalid nickname \"\(Sanitizer.clean(candidate))\": \(error)")
        }
        let oldName = session.nickname
        if newName.name == oldName.name {
            throw .failed("You are already called \(oldName).")
        }
        if newName.key != oldName.key, self.sessionsByNickname[newName.key] != nil {
            throw .failed("The nickname \(newName) is taken.")
        }
        if newName.key != oldName.key, session.ownedAccount?.lowercased() != newName.key,
            let store = self.persistence?.store, (try? await store.account(for: newName.name)) != nil
        {
            throw .failed("The nickname \(newName) is registered; connect as it and give its password to use it.")
        }
        // The store lookup suspended: look again, the name may have been taken meanwhile.
        guard self.sessions[id] != nil else { return }
        if newName.key != oldName.key, self.sessionsByNickname[newName.key] != nil {
            throw .failed("The nickname \(newName) is taken.")
        }
        session = self.sessions[id]!
        self.sessionsByNickname.removeValue(forKey: oldName.key)
        self.sessionsByNickname[newName.key] = id
        session.nickname = newName
        // Ignores and /reply targets follow the person, not the old name.
        for otherID in self.sessions.keys {
            if self.sessions[otherID]!.ignoring.remove(oldName.key) != nil {
                self.sessions[otherID]!.ignoring.insert(newName.key)
            }
            if self.sessions[otherID]!.lastPrivateMessageFrom == oldName.key {
                self.sessions[otherID]!.lastPrivateMessageFrom = newName.key
            }
        }
        self.broadcast(
            ChatEvent(kind: .notice, text: "\(oldName) is now known as \(newName)", room: session.room.name),
            in: session.room,
            about: newName
        )
    }

    /// Moves a user to another room, creating it if new.
    public func switchRoom(_ id: SessionID, to candidate: String) throws(CommandError) {
        guard let session = self.touch(id) else { return }
        let target: RoomName
        do {
            target = try RoomName(validating: candidate)
        } catch {
            throw .failed("Invalid room name \"\(Sanitizer.clean(candidate))\": \(error)")
        }
        if target == session.room {
            throw .failed("You are already in \(session.room).")
        }
        let oldRoom = session.room
        let oldRoomWasBig = self.isBig(oldRoom.key)
        self.removeFromRoom(session)
        let room = self.rooms[target.key] ?? Room(name: target)
        session.room = room.name
        self.rooms[target.key, default: room].members.append(session)
        if oldRoomWasBig {
            self.countComingOrGoing(in: oldRoom.key, isArrival: false)
        } else {
            self.broadcast(
                ChatEvent(kind: .notice, text: "\(session.nickname) left \(oldRoom) for \(room.name)", room: oldRoom.name),
                in: oldRoom,
                about: session.nickname
            )
        }
        if self.isBig(room.name.key) {
            self.countComingOrGoing(in: room.name.key, isArrival: true)
            session.send(ChatEvent(kind: .notice, text: "\(session.nickname) joined \(room.name)", room: room.name.name))
        } else {
            self.broadcast(
                ChatEvent(kind: .notice, text: "\(session.nickname) joined \(room.name)", room: room.name.name),
                in: room.name,
                about: session.nickname
            )
        }
    }

    /// Sets (or, with nil, clears) a user's away message.
    public func setAway(_ id: SessionID, message: String?) {
        guard self.sessions[id] != nil else { return }
        self.sessions[id]!.awayMessage = message
        let text = message.map { "You are marked as away: \($0)" } ?? "You are no longer marked as away."
        self.sessions[id]!.send(.notice(text))
    }

    /// The most nicknames one user may ignore: `/ignore` lists them in one line.
    public static let maximumIgnored = 100

    /// Adds `name` to a user's ignore list (kept with their account, when they have one).
    public func ignore(_ name: String, by id: SessionID) async throws(CommandError) {
        guard let session = self.sessions[id] else { return }
        guard let nickname = try? Nickname(validating: name) else {
            throw .failed("\"\(Sanitizer.clean(name))\" is not a valid nickname.")
        }
        if nickname == session.nickname {
            throw .failed("You cannot ignore yourself.")
        }
        guard !session.ignoring.contains(nickname.key) else {
            throw .failed("You are already ignoring \(nickname).")
        }
        guard session.ignoring.count < Self.maximumIgnored else {
            throw .failed("You are ignoring \(Self.maximumIgnored) people, the most there can be; /unignore someone first.")
        }
        session.ignoring.insert(nickname.key)
        if let account = session.ownedAccount, let store = self.persistence?.store {
            try? await store.setIgnored(true, nickname.key, by: account)
        }
        session.send(.notice("You are now ignoring \(nickname); /unignore \(nickname) to hear them again."))
    }

    /// Removes `name` from a user's ignore list.
    public func unignore(_ name: String, by id: SessionID) async throws(CommandError) {
        guard let session = self.sessions[id] else { return }
        guard session.ignoring.remove(name.lowercased()) != nil else {
            throw .failed("You are not ignoring \(Sanitizer.clean(name)).")
        }
        if let account = session.ownedAccount, let store = self.persistence?.store {
            try? await store.setIgnored(false, name.lowercased(), by: account)
        }
        session.send(.notice("You are no longer ignoring \(name)."))
    }

    /// Gives a registered user back the ignore list kept with their account.
    public func restoreIgnoreList(of id: SessionID) async {
        guard let account = self.sessions[id]?.ownedAccount, let store = self.persistence?.store,
            let kept = try? await store.ignoredNicknames(by: account)
        else { return }
        self.sessions[id]?.ignoring.formUnion(kept.prefix(Self.maximumIgnored))
    }

    // MARK: Looking around

    /// The session using `nickname`, if any.
    public func sessionID(of nickname: String) -> SessionID? {
        self.sessionsByNickname[nickname.lowercased()]
    }

    /// A user's output queue.
    func recipient(of id: SessionID) -> (any ChatRecipient)? {
        self.sessions[id]?.recipient
    }

    /// Whether the user logged in with a registered nickname's password.
    public func isRegistered(_ id: SessionID) -> Bool {
        guard let session = self.sessions[id], let account = session.ownedAccount else { return false }
        return account.lowercased() == session.nickname.key
    }

    /// Marks the user as the owner of their (now registered) nickname.
    public func markRegistered(_ id: SessionID) {
        // Read first, then write: one statement doing both would access `sessions` twice at once.
        guard let name = self.sessions[id]?.nickname.name else { return }
        self.sessions[id]?.ownedAccount = name
    }

    /// The `/who` answer: the members of the user's room, with away messages.
    public func membersOfRoom(of id: SessionID) -> (room: RoomName, members: [String]) {
        guard let session = self.sessions[id], let room = self.rooms[session.room.key] else {
            return (.lobby, [])
        }
        let members = room.members.map { member in
            member.awayMessage.map { "\(member.nickname) (away: \($0))" } ?? member.nickname.name
        }
        return (room.name, members)
    }

    /// Every room with its member count, busiest first.
    public func roomList() -> [(room: RoomName, members: Int)] {
        self.rooms.values
            .map { ($0.name, $0.members.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.key < $1.0.key }
    }

    /// The `/whois` answer for `name`, or nil when nobody by that name is online.
    public func describe(_ name: String) -> String? {
        guard let id = self.sessionsByNickname[name.lowercased()], let session = self.sessions[id] else {
            return nil
        }
        let now = ContinuousClock.now
        var text = "\(session.nickname) is in \(session.room), idle \(Self.describe(now - session.lastActivity)), "
        text += "connected for \(Self.describe(now - session.connectedAt))"
        if let away = session.awayMessage {
            text += ", away: \(away)"
        }
        return text
    }

    /// The nicknames a user ignores, sorted.
    public func ignoreList(of id: SessionID) -> [String] {
        (self.sessions[id]?.ignoring ?? []).sorted()
    }

    /// Every connected user, for the admin console.
    public func connectedUsers() -> [(nickname: String, room: String, address: String)] {
        self.sessions.values
            .map { ($0.nickname.name, $0.room.name, $0.address) }
            .sorted { $0.0.lowercased() < $1.0.lowercased() }
    }

    // MARK: Internals

    /// Marks a user active now and returns their session.
    func touch(_ id: SessionID) -> Member? {
        self.sessions[id]?.lastActivity = .now
        return self.sessions[id]
    }

    private func removeFromRoom(_ session: Member) {
        self.rooms[session.room.key]?.remove(session.id)
        if session.room != .lobby, self.rooms[session.room.key]?.members.isEmpty == true {
            self.rooms.removeValue(forKey: session.room.key)
        }
    }

    /// Sends `event` to everyone in `room`, except those who ignore `subject` (the person it is about: ignoring
    /// someone hides their comings and goings too).
    private func broadcast(_ event: ChatEvent, in room: RoomName, about subject: Nickname? = nil) {
        self.fanOut(event, inRoom: room.key) { member in
            subject.map { member.ignoring.contains($0.key) } ?? false
        }
    }

    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// `4s`, `3m 12s`, `2h 5m`, `3d 4h`.
    static func describe(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m \(seconds % 60)s"
        case ..<86400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }
}
