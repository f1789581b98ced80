import ChatProtocol
import PasswordHashing

/// `/register PASSWORD`: reserve my nickname; from then on it needs the password.
public struct RegisterCommand: ChatCommand {
    public let descriptor = CommandDescriptor(
        name: "register",
        usage: "PASSWORD",
        summary: "reserve your nickname with a password (also gets you offline messages and catch-up)"
    )

    public init() {}

    public func run(_ invocation: CommandInvocation, in context: CommandContext) async throws {
        guard let persistence = context.hub.persistence else {
            throw CommandError.failed("This server keeps no accounts.")
        }
        let password = invocation.arguments
        guard !password.isEmpty else { throw CommandError.usage(self.descriptor) }
        try PasswordRules.check(password, in: invocation)
        guard let (nickname, _) = await context.hub.whereabouts(of: context.session) else { return }
        if await context.hub.isRegistered(context.session) {
            throw CommandError.failed(
                "\(nickname) is already registered to you; /password OLD NEW changes the password."
            )
        }
        let connection = context.connection
        if let warning = connection.plainTextWarning {
            context.notice(warning)
        }
        guard connection.mayRegister else {
            throw CommandError.failed(
                "One connection may register at most \(RegistrationLimit.perConnection) nicknames."
            )
        }
        let address = connection.peer.key
        if let wait = context.hub.accountLimits.registrations.take(for: address) {
            throw CommandError.failed(
                """
                Your address has registered \(context.hub.accountLimits.registrations.perAddressPerHour) nicknames \
                this hour; 
                """
                    + "try again in \(Int(wait.components.seconds / 60) + 1) minutes."
            )
        }
        do {
            let hash = try await PasswordHasher.hash(password, for: .change, abandonIf: { connection.isGone })
            let latest = try await persistence.store.latestMessageID()
            guard
                try await persistence.store.createAccount(
                    nickname: nickname.name,
                    passwordHash: hash,
                    lastSeenMessageID: latest
                )
            else {
                throw CommandError.failed("\(nickname) is already registered.")
            }
        } catch {
            context.hub.accountLimits.registrations.giveBack(for: address)
            if let failure = PasswordRules.failure(error, in: "register", saying: "Registration failed") {
                throw failure
            }
            return
        }
        connection.recordRegistration()
        // Whoever registered the nickname here knows its password: this address is never slowed down by others'
        // wrong guesses for it.
        context.hub.accountLimits.login.trust(nickname: nickname.name, address: address)
        await context.hub.markRegistered(context.session)
        context.notice(
            "Registered \(nickname). Next time this nickname asks for its password; /password OLD NEW changes it."
        )
        // Over SSH, the key the user logged in with logs them in from now on (`/keys` lists, `/keys remove` unbinds).
        if let key = connection.loginKey, (try? await persistence.store.bindKey(key, to: nickname.name)) == true {
            context.notice("Your SSH key \(key.fingerprint) is bound to \(nickname): ssh logs you in with it.")
        }
    }
}
