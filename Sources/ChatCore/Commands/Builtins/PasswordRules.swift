import ChatProtocol
import PasswordHashing

/// What a password must be like, and how password work fails.
enum PasswordRules {
    /// The `! ` line for `error`, thrown while `/command` did password work; nil when its connection has gone and
    /// there is nobody to tell.
    static func failure(_ error: any Error, in command: String, saying failed: String) -> CommandError? {
        switch error {
        case let error as CommandError: error
        case PasswordHasher.QueueError.busy:
            .failed("The server is busy checking passwords; try /\(command) again in a moment.")
        case PasswordHasher.QueueError.abandoned: nil
        default: .failed("\(failed): \(error)")
        }
    }

    /// Checks a new `password` taken from `invocation`'s arguments.
    static func check(_ password: String, in invocation: CommandInvocation) throws(CommandError) {
        // At login the password is compared as typed, so one the sanitizer changed here could never match.
        guard !invocation.containsRemovedCharacters else {
            throw .failed("A password cannot contain control characters, escape sequences or invisible characters.")
        }
        guard !password.contains(" "), !password.contains("\t") else {
            throw .failed("A password cannot contain spaces (/password OLD NEW could not tell where one ends).")
        }
        guard !password.hasPrefix("/") else {
            // At the password question `/quit` leaves, so a password must never read as a command.
            throw .failed("A password cannot start with / (at the password question, /quit leaves).")
        }
        guard password.count >= PasswordHasher.minimumLength else {
            throw .failed("A password needs at least \(PasswordHasher.minimumLength) characters.")
        }
        guard password.count <= PasswordHasher.maximumLength else {
            throw .failed("A password has at most \(PasswordHasher.maximumLength) characters.")
        }
    }
}
