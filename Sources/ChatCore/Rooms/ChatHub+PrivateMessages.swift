import ChatEmoji
import ChatProtocol

extension ChatHub {
    /// Private messages one registered user may have waiting while offline, from everyone together.
    public static let maximumWaitingPrivateMessages = OfflineMessagePolicy.maximumWaiting
    /// ... and from any one sender.
    public static let maximumWaitingPrivateMessagesPerSender = OfflineMessagePolicy.maximumWaitingPerSender

    /// A private message to `recipientName`, emoji shortcodes expanded. `isNotice`: an IRC NOTICE, which never
    /// gets an automatic answer (no away message back).
    public func sendPrivateMessage(
        _ text: String,
        to recipientName: String,
        from id: SessionID,
        isNotice: Bool = false
    ) async throws(CommandError) {
        guard let sender = self.touch(id) else { return }
        let text = EmojiTable.standard.expand(text)
        let time = Self.now()
        guard let recipientID = self.nicknames.sessionID(of: recipientName),
            let recipient = self.sessions[recipientID]
        else {
            if let elsewhere = try await self.onAnotherNode(recipientName) {
                try self.sendToAnotherNode(text, to: elsewhere, from: sender, time: time, isNotice: isNotice)
                await self.recordDelivered(text, from: sender, to: elsewhere.nickname, time: time)
                return
            }
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
        await self.recordDelivered(text, from: sender, to: recipient.nickname.name, time: time)
        self.confirmSent(
            text,
            to: recipient.nickname.name,
            away: recipient.awayMessage,
            from: sender,
            time: time,
            isNotice: isNotice
        )
    }

    /// A private message to whoever last sent one to `id`.
    public func reply(_ text: String, from id: SessionID) async throws(CommandError) {
        guard let sender = self.sessions[id] else { return }
        guard let target = sender.lastPrivateMessageFrom else {
            throw .failed("No one has sent you a private message yet, so there is no one to /reply to.")
        }
        try await self.sendPrivateMessage(text, to: target, from: id)
    }

    /// A PM to someone offline: kept for a registered nickname (delivered at its next login), an error otherwise;
    /// ``OfflineMessagePolicy`` says how many and in what words.
    private func keepForLater(
        _ text: String,
        to recipientName: String,
        from sender: Member,
        time: Int64
    ) async throws(CommandError) {
        let offline = OfflineMessagePolicy.nobodyOnline(called: recipientName)
        guard let store = self.persistence?.store, Nickname.isPlausible(recipientName) else { throw .failed(offline) }
        let account: Account?
        do {
            account = try await store.account(for: recipientName)
        } catch {
            throw .failed(OfflineMessagePolicy.couldNotCheck(recipientName, because: error))
        }
        guard let account else { throw .failed(offline) }
        let waiting: (all: Int, fromSender: Int)
        do {
            waiting = try await store.countUndeliveredPrivateMessages(for: account.nickname, from: sender.nickname.name)
        } catch {
            throw .failed(OfflineMessagePolicy.couldNotSave(to: account.nickname, because: error))
        }
        if let refusal = OfflineMessagePolicy.refusal(to: account.nickname, waiting: waiting) {
            throw .failed(refusal)
        }
        do {
            let stored = StoredPrivateMessage(
                sender: sender.nickname.name,
                recipient: account.nickname,
                text: text,
                time: time
            )
            try await store.storePrivateMessage(stored, delivered: false)
        } catch {
            throw .failed(OfflineMessagePolicy.couldNotSave(to: account.nickname, because: error))
        }
        sender.send(.notice(OfflineMessagePolicy.kept(for: account.nickname)))
    }

    /// Where `name` is online on another node of the cluster, if anywhere.
    private func onAnotherNode(_ name: String) async throws(CommandError) -> Presence? {
        guard let cluster = self.cluster, Nickname.isPlausible(name) else { return nil }
        do {
            guard let presence = try await cluster.presence(of: name), presence.node != cluster.nodeName else {
                return nil
            }
            return presence
        } catch {
            throw .failed(OfflineMessagePolicy.couldNotCheck(name, because: error))
        }
    }

    /// A private message to a user on another node: that node delivers it (and the recipient's ignore list holds
    /// there); the sender gets the echo and the away message here, as for a user of this node.
    private func sendToAnotherNode(
        _ text: String,
        to recipient: Presence,
        from sender: Member,
        time: Int64,
        isNotice: Bool
    ) throws(CommandError) {
        let sent = self.cluster?.publish(
            .privateMessage(
                ClusterEvent.PrivateMessage(to: recipient.nickname, from: sender.nickname.name, text: text, time: time)
            )
        )
        guard sent != false else {
            throw .failed("That message is too long to reach \(recipient.nickname) on another node; send it in parts.")
        }
        self.confirmSent(
            text,
            to: recipient.nickname,
            away: recipient.awayMessage,
            from: sender,
            time: time,
            isNotice: isNotice
        )
    }

    /// What the sender of a private message gets back: the echo (JSON clients show the text as sent; IRC's
    /// echo-message) and the recipient's away message, unless it was a NOTICE.
    private func confirmSent(
        _ text: String,
        to recipient: String,
        away: String?,
        from sender: Member,
        time: Int64,
        isNotice: Bool
    ) {
        if sender.format == .json || sender.rendersEvents {
            sender.send(
                ChatEvent(kind: .privateMessage, text: text, from: sender.nickname.name, to: recipient, time: time)
            )
        }
        if let away, !isNotice {
            sender.send(.away(recipient, message: away))
        }
    }

    /// Keeps a delivered private message in the store (its history, not a message waiting).
    private func recordDelivered(_ text: String, from sender: Member, to recipient: String, time: Int64) async {
        guard let store = self.persistence?.store else { return }
        let stored = StoredPrivateMessage(sender: sender.nickname.name, recipient: recipient, text: text, time: time)
        try? await store.storePrivateMessage(stored, delivered: true)
    }
}
