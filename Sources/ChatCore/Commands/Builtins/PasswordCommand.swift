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
        do {
            guard let account = try await persistence.store.account(for: nickname.name),
                await PasswordHasher.verify(words[0], against: account.passwordHash)
            else {
                throw CommandError.failed("The old password is wrong; nothing was changed.")
            }
            try await persistence.store.updatePassword(nickname: nickname.name, passwordHash: try await PasswordHasher.hash(words[1]))
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError.failed("Changing the password failed: \(error)")
        }
        context.notice("Password changed.")
    }
}
