import ChatTesting

/// The dialogue of a registered nickname, and the lines the persistence tests look for.
extension LineClient {
    /// Reads the greeting, sends `nickname`, and waits for the password prompt.
    func pick(_ nickname: String) async throws {
        try await self.expectLine(containing: "Choose a nickname")
        try await self.send(nickname)
        try await self.expectLine(containing: "The nickname \(nickname) is registered. Password:")
    }

    /// Picks a registered `nickname`, answers `password` and waits for the welcome.
    @discardableResult
    func logIn(as nickname: String, password: String) async throws -> String {
        try await self.pick(nickname)
        try await self.send(password)
        return try await self.expectLine(containing: "Welcome to slashchat, \(nickname)!")
    }

    /// Sends `/register password` and waits for the confirmation.
    func register(password: String) async throws {
        try await self.send("/register \(password)")
        try await self.expectLine(containing: "* Registered ")
    }

    /// Sends `/quit` and waits until the server has closed the connection.
    func quit() async throws {
        try await self.send("/quit")
        try await self.expectClosed()
    }

    /// Every line the server sends before it reads the next one from this client.
    ///
    /// Sends an unknown command and collects the lines up to its error. The server handles a client's lines in
    /// order, and replays history (and offline messages) before it reads any, so this sees all of a replay or of
    /// a `/history` answer without guessing how long the server might stay quiet.
    func linesBeforeNextCommand() async throws -> [String] {
        try await self.send("/zz-sync")
        var lines: [String] = []
        while true {
            let line = try await self.nextLine()
            if line.hasPrefix("! Unknown command /zz-sync") { return lines }
            lines.append(line)
        }
    }

    /// The replayed lines (`[History] …`) among ``linesBeforeNextCommand()``.
    func historyLines() async throws -> [String] {
        try await self.linesBeforeNextCommand().filter { $0.hasPrefix("[History] ") }
    }
}
