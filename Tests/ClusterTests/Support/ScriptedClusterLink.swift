import ChatCore
import Synchronization

/// A ``ClusterLink`` in memory, for the hub's side of the seam without a database: it stores committed lines with
/// their sequences as PostgreSQL would, lets a test add lines "from another node" that the hub has not been told of,
/// and records what the hub publishes. Its commit can be made to fail, as a lost database does.
final class ScriptedClusterLink: ClusterLink {
    private struct State {
        var lines: [String: [SequencedMessage]] = [:]
        var presence: [String: Presence] = [:]
        var published: [ClusterEvent] = []
        var failsCommits = false
        var nextID: Int64 = 0
        var reads = 0
    }

    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the database did not answer within 5 seconds" }
    }

    let nodeName = "node-test"
    private let state = Mutex(State())

    func waitUntilReady() async {}

    /// Stores lines as another node's commit would, returning them with their sequences.
    @discardableResult
    func commitElsewhere(_ texts: [String], from sender: String, in room: String = "#main") -> [SequencedMessage] {
        self.store(texts.map { StoredMessage(room: room, sender: sender, kind: .message, text: $0, time: 0) })
    }

    var failsCommits: Bool {
        get { self.state.withLock { $0.failsCommits } }
        set { self.state.withLock { $0.failsCommits = newValue } }
    }

    /// How often the hub read lines from the "database".
    var reads: Int { self.state.withLock { $0.reads } }

    var published: [ClusterEvent] { self.state.withLock { $0.published } }

    private func store(_ messages: [StoredMessage]) -> [SequencedMessage] {
        self.state.withLock { state in
            messages.map { message in
                let key = message.room.lowercased()
                state.nextID += 1
                var stored = message
                stored.id = state.nextID
                let sequenced = SequencedMessage(
                    message: stored,
                    roomSequence: Int64(state.lines[key, default: []].count + 1)
                )
                state.lines[key, default: []].append(sequenced)
                return sequenced
            }
        }
    }

    func commit(_ messages: [StoredMessage]) async throws -> [SequencedMessage] {
        if self.failsCommits { throw Unreachable() }
        return self.store(messages)
    }

    func messages(in room: String, afterSequence: Int64, limit: Int) async throws -> [SequencedMessage] {
        self.state.withLock { state in
            state.reads += 1
            return Array(
                state.lines[room.lowercased(), default: []].filter { $0.roomSequence > afterSequence }.prefix(limit)
            )
        }
    }

    func latestSequence(in room: String) async throws -> Int64 {
        self.state.withLock { Int64($0.lines[room.lowercased(), default: []].count) }
    }

    @discardableResult
    func publish(_ event: ClusterEvent) -> Bool {
        self.state.withLock { $0.published.append(event) }
        return true
    }

    func claim(_ presence: Presence) async throws -> Bool {
        self.state.withLock { state in
            guard state.presence[presence.nicknameKey] == nil else { return false }
            state.presence[presence.nicknameKey] = presence
            return true
        }
    }

    func rename(from oldKey: String, to presence: Presence) async throws -> Bool {
        self.state.withLock { state in
            guard state.presence[presence.nicknameKey] == nil else { return false }
            state.presence[oldKey] = nil
            state.presence[presence.nicknameKey] = presence
            return true
        }
    }

    func release(_ nicknameKey: String) async throws {
        _ = self.state.withLock { $0.presence.removeValue(forKey: nicknameKey) }
    }

    func update(_ presence: Presence) {
        self.state.withLock { $0.presence[presence.nicknameKey] = presence }
    }

    func presence(of name: String) async throws -> Presence? {
        self.state.withLock { $0.presence[name.lowercased()] }
    }

    func everyone() async throws -> [Presence] {
        self.state.withLock { Array($0.presence.values) }.sorted { $0.connectedAt < $1.connectedAt }
    }
}
