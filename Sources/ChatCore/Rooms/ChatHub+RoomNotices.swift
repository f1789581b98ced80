import ChatEmoji
import ChatProtocol

/// IRC's NOTICE to a room: text for everyone in it, shown as `-NICK- TEXT`, that no one answers automatically. Unlike
/// a room line it is not kept in the history (a notice is a passing remark, IRC clients send them for status).
extension ChatHub {
    /// Says `text` as a notice in the user's focus room (emoji shortcodes expanded); every door in the room sees it,
    /// the sender's included (IRC shows it only with echo-message).
    public func sendRoomNotice(_ text: String, from id: SessionID) throws(CommandError) {
        guard let session = self.touch(id), let room = session.room else { throw .failed("You are in no room.") }
        let shown = self.rooms[room.key]?.name ?? room
        let notice = ChatEvent.roomNotice(
            session.nickname.name,
            room: shown.name,
            text: EmojiTable.standard.expand(Sanitizer.clean(text))
        )
        self.broadcast(notice, in: shown, about: session.nickname)
        self.publish(notice, in: shown, about: session.nickname)
    }
}
