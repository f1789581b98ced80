import ChatProtocol

/// When a private message to someone offline is kept for their next login, and what its sender hears either way.
///
/// Only a registered nickname gets messages kept (a guest's name may be someone else's tomorrow), and only so many:
/// one sender, or everyone together, must not fill the store or one recipient's replay at login.
enum OfflineMessagePolicy {
    /// Private messages one registered user may have waiting, from everyone together.
    static let maximumWaiting = 500
    /// ... and from any one sender.
    static let maximumWaitingPerSender = 50

    /// What the sender hears when nobody by that name is online and nothing is kept.
    static func nobodyOnline(called recipientName: String) -> String {
        "No one called \(Sanitizer.clean(recipientName)) is online; /who lists your room, /rooms the others."
    }

    /// The refusal when `recipient` already has too many messages waiting, or nil when one more may be kept.
    /// - Parameter waiting: the messages waiting for `recipient`, from everyone and from this sender.
    static func refusal(to recipient: String, waiting: (all: Int, fromSender: Int)) -> String? {
        if waiting.all >= Self.maximumWaiting {
            return "\(recipient) already has \(waiting.all) private messages waiting; yours was not kept. "
                + "Try again once they have logged in."
        }
        if waiting.fromSender >= Self.maximumWaitingPerSender {
            return "You already have \(waiting.fromSender) private messages waiting for \(recipient); "
                + "yours was not kept. Try again once they have logged in."
        }
        return nil
    }

    /// What the sender hears when the store could not say whether `recipientName` is registered.
    static func couldNotCheck(_ recipientName: String, because error: any Error) -> String {
        "Could not check whether \(recipientName) is registered: \(error)"
    }

    /// What the sender hears when the store could not count or keep the message.
    static func couldNotSave(to recipient: String, because error: any Error) -> String {
        "Your message to \(recipient) could not be saved: \(error)"
    }

    /// What the sender hears once the message is kept.
    static func kept(for recipient: String) -> String {
        "\(recipient) is offline; your message will be delivered when they next log in."
    }
}
