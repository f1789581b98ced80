import ChatProtocol
import PasswordHashing

/// `/password OLD NEW`: change my registered nickname's password.
public struct PasswordCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "password",
        usage: "OLD NEW",
        summary: "change your registered nickname's password"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard let persistence = context.hub.persistence else {
            throw CommandError.failed("This server keeps no accounts.")
        }
        let words = invocation.words
        guard words.count == 2 else { throw CommandError.usage(self.descriptor) }
        guard let (nickname, _) = await context.hub.whereabouts(of: context.session),
            await context.hub.isRegistered(context.session)
        else {
            throw CommandError.failed("Your nickname is not registered; /register PASSWORD registers it.")
        }
        try PasswordRules.check(words[1], in: invocation)
        let connection = context.connection
        if let warning = connection.plainTextWarning {
            context.notice(warning)
        }
        do {
            guard let account = try await persistence.store.account(for: nickname.name) else {
                throw CommandError.failed("Your nickname is not registered; /register PASSWORD registers it.")
            }
            if let wait = context.hub.accountLimits.passwordChanges.take(for: nickname.name) {
                throw CommandError.failed(
                    "The password of \(nickname) may be changed \(PasswordChangeLimit.perAccountPerHour) times "
                        + "an hour; try again in \(Int(wait.components.seconds / 60) + 1) minutes."
                )
            }
            // The old password is a guess like any login: the same throttle, the same bounded hash queue, but in the
            // line of changes, so changes never take a login's place.
            switch await context.hub.accountLimits.login.check(
                words[0],
                against: account.passwordHash,
                nickname: nickname.name,
                address: connection.peer.key,
                for: .change,
                isGone: { connection.isGone }
            ) {
            case .right: break
            case .wrong: throw CommandError.failed("The old password is wrong; nothing was changed.")
            case .tryAgain(let reason):
                context.hub.accountLimits.passwordChanges.giveBack(for: nickname.name)
                throw CommandError.failed(reason)
            case .gone: return
            }
            let hash = try await PasswordHasher.hash(words[1], for: .change, abandonIf: { connection.isGone })
            try await persistence.store.updatePassword(nickname: nickname.name, passwordHash: hash)
        } catch {
            if let failure = PasswordRules.failure(error, in: "password", saying: "Changing the password failed") {
                throw failure
            }
        }
        context.notice("Password changed.")
    }
}
