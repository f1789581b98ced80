import ChatCore
import ChatProtocol
import ChatStorePostgres
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The node's life in the cluster: registering, the notification connection, the heartbeat and the sender of events,
/// until graceful shutdown; then the last events go out and the node leaves the directory.
extension PostgresCluster {
    /// Runs the node's part of the cluster for `hub` until graceful shutdown (or cancellation).
    public func run(for hub: ChatHub) async throws {
        // Users a killed run of this node left in the directory are gone: everyone hears so.
        let leftBehind: [Presence]
        do {
            leftBehind = try await self.register()
        } catch {
            self.ready.open()
            throw error
        }
        await self.announceGone(leftBehind, because: "\(self.nodeName) restarted", to: hub)
        self.logger.notice("joined the cluster")
        await withTaskGroup(of: Void.self) { outer in
            outer.addTask { await self.sendOutbound() }
            await withTaskGroup(of: Void.self) { inner in
                inner.addTask { await self.listen(for: hub) }
                inner.addTask { await self.keepAlive(for: hub) }
                try? await gracefulShutdown()
                // A server still waiting for the first LISTEN is let go, to see the shutdown itself.
                self.ready.open()
                inner.cancelAll()
            }
            // The server has stopped (it shuts down before the cluster): what its leaving users published goes out.
            self.outboundQueue.finish()
        }
        do {
            try await self.deregister()
            self.logger.notice("left the cluster")
        } catch {
            self.logger.warning(
                "could not leave the cluster's directory; the others expire this node",
                metadata: [
                    "error": "\(error)"
                ]
            )
        }
    }

    /// Holds the notification connection: LISTEN first, then catch up from the tables, then apply notifications as
    /// they come. A broken connection is re-opened with doubling waits, and every re-open catches up again, so no
    /// line is lost (and none shown twice: the hub drops lines it delivered by their sequence).
    private func listen(for hub: ChatHub) async {
        var backoff = self.options.firstBackoff
        var isFirst = true
        while !Task.isCancelled {
            do {
                let configuration = try self.connectionString.connectionConfiguration(
                    connectTimeout: self.options.callTimeLimit
                )
                let connection = try await PostgresConnection.connect(
                    configuration: configuration,
                    id: 0,
                    logger: self.logger
                )
                self.listeningConnection.withLock { $0 = connection }
                defer { self.listeningConnection.withLock { $0 = nil } }
                do {
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: Self.channel) { notifications in
                            backoff = self.options.firstBackoff
                            if !isFirst { self.logger.notice("the notification connection is back; catching up") }
                            isFirst = false
                            await hub.catchUpWithCluster()
                            await hub.reloadAddressBans()
                            self.ready.open()
                            for try await notification in notifications {
                                guard let envelope = ClusterEnvelope.decode(notification.payload) else { continue }
                                if envelope.origin == self.nodeName {
                                    if envelope.isPing == true { self.pingsHeard.add(1, ordering: .relaxed) }
                                    continue
                                }
                                if let event = envelope.event { await hub.receive(event) }
                            }
                        }
                    } onCancel: {
                        Task { try? await connection.close() }
                    }
                    try? await connection.close()
                } catch {
                    // A connection must be closed before it goes, broken or not.
                    try? await connection.close()
                    throw error
                }
            } catch {
                guard !Task.isCancelled else { return }
                self.logger.warning(
                    "lost the cluster's notification connection; reconnecting",
                    metadata: ["error": "\(String(reflecting: error))", "in": "\(backoff)"]
                )
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, self.options.maximumBackoff)
        }
    }

    /// Every heartbeat interval: says this node is alive (writing its users back when the others had expired them),
    /// and expires the users of nodes that stopped saying so.
    ///
    /// Nodes are only expired once this node itself has had the database for a whole ``Options/nodeTimeout``: after
    /// the database was away, every node's heartbeat is old, and the first one back must not take the others for
    /// dead before they had the time to say they are alive.
    private func keepAlive(for hub: ChatHub) async {
        var lastError: String?
        var healthySince = ContinuousClock.now
        var unansweredPings = 0
        var pingsHeardBefore = self.pingsHeard.load(ordering: .relaxed)
        // The connection the last ping was sent to: only its silence counts.
        var pinged: ObjectIdentifier?
        while !Task.isCancelled {
            try? await Task.sleep(for: self.options.heartbeatInterval)
            guard !Task.isCancelled else { return }
            do {
                let wasKnown = try await self.heartbeat()
                // The notification connection is alive when it hears this node's own pings: three heartbeats
                // without one while the database answers, and it is re-opened (and caught up).
                let heard = self.pingsHeard.load(ordering: .relaxed)
                let listening = self.listeningConnection.withLock { $0 }
                let isSame = listening.map(ObjectIdentifier.init) == pinged && pinged != nil
                unansweredPings = isSame && heard == pingsHeardBefore ? unansweredPings + 1 : 0
                pingsHeardBefore = heard
                if unansweredPings >= 3, let listening {
                    self.logger.warning("the notification connection stopped hearing this node; re-opening it")
                    unansweredPings = 0
                    try? await listening.close()
                }
                pinged = listening.map(ObjectIdentifier.init)
                try await self.notify(ClusterEnvelope.ping(from: self.nodeName))
                if lastError != nil { self.logger.notice("the database answers the heartbeat again") }
                if !wasKnown || self.directoryNeedsRewrite.exchange(false, ordering: .relaxed) {
                    try await self.rewriteDirectory(for: hub)
                }
                if lastError != nil { healthySince = .now }
                guard ContinuousClock.now - healthySince >= self.options.nodeTimeout else {
                    lastError = nil
                    continue
                }
                let gone = try await self.sweepDeadNodes()
                let nodes = Set(gone.map(\.node)).sorted()
                if !nodes.isEmpty {
                    self.logger.warning(
                        "nodes stopped answering; their users are gone",
                        metadata: ["nodes": "\(nodes)"]
                    )
                }
                for node in nodes {
                    await self.announceGone(
                        gone.filter { $0.node == node },
                        because: "\(node) stopped answering",
                        to: hub
                    )
                }
                lastError = nil
            } catch {
                let description = String(describing: error)
                if lastError != description {
                    self.logger.warning("the heartbeat failed", metadata: ["error": "\(description)"])
                }
                lastError = description
                self.directoryNeedsRewrite.store(true, ordering: .relaxed)
            }
        }
    }

    /// Writes this node's users back into the directory, and takes out its rows without a user here (a claim that
    /// committed after its caller gave up, a release that failed): those whose nickname another node's user took
    /// meanwhile are disconnected, the others are announced again to the rooms that saw them go.
    private func rewriteDirectory(for hub: ChatHub) async throws {
        let snapshot = await hub.directorySnapshot()
        let (lost, restored, orphans) = try await self.reassert(
            snapshot.users,
            keeping: snapshot.busy.union(snapshot.users.map(\.nicknameKey)),
            takenAt: snapshot.takenAt
        )
        await self.announceGone(orphans, because: "connection lost", to: hub)
        for presence in lost {
            await hub.kick(
                presence.nickname,
                reason: "someone on another node took your nickname while this node had lost the database"
            )
        }
        for presence in restored {
            for case let room? in presence.rooms.map({ try? RoomName(validating: $0) }) {
                let event = ChatEvent.back(presence.nickname, room: room.name)
                self.publish(
                    .roomEvent(ClusterEvent.RoomEvent(room: room.name, event: event, about: presence.nickname))
                )
            }
        }
        if !lost.isEmpty || !restored.isEmpty || !orphans.isEmpty {
            self.logger.notice(
                "wrote this node's users back into the directory",
                metadata: [
                    "restored": "\(restored.count)", "lost": "\(lost.map(\.nickname))",
                    "orphans": "\(orphans.map(\.nickname))",
                ]
            )
        }
    }

    /// Tells every node (this one included) that the users in `gone` left.
    private func announceGone(_ gone: [Presence], because reason: String, to hub: ChatHub) async {
        for presence in gone {
            for case let room? in presence.rooms.map({ try? RoomName(validating: $0) }) {
                let event = ClusterEvent.roomEvent(
                    ClusterEvent.RoomEvent(
                        room: room.name,
                        event: ChatEvent.left(presence.nickname, room: room.name, reason: reason),
                        about: presence.nickname,
                        change: .departure
                    )
                )
                self.publish(event)
                await hub.receive(event)
            }
        }
    }

    /// Sends the queued events and directory changes in order until the queue is finished (at shutdown).
    private func sendOutbound() async {
        for await item in self.outbound {
            do {
                switch item {
                case .notify(let payload): try await self.notify(payload)
                case .update(let presence): try await self.write(presence)
                }
            } catch {
                self.logger.warning("could not tell the other nodes", metadata: ["error": "\(error)"])
                if case .update = item { self.directoryNeedsRewrite.store(true, ordering: .relaxed) }
            }
        }
    }
}

/// Runs a node's ``PostgresCluster`` for its hub as a service of the server's ServiceGroup. List it before the
/// server: services stop in reverse order, so the server's leaving users are published before the cluster stops.
public struct ClusterNodeService: Service {
    let cluster: PostgresCluster
    let hub: ChatHub

    public init(cluster: PostgresCluster, hub: ChatHub) {
        self.cluster = cluster
        self.hub = hub
    }

    public func run() async throws {
        try await self.cluster.run(for: self.hub)
    }
}
