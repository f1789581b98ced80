import ProcessRunning

/// The fun programs found on PATH (or in /usr/games) when the server started.
public struct ExternalTools: Sendable {
    /// The programs slashchat knows how to use.
    public static let names = ["cowsay", "cowthink", "fortune", "figlet", "toilet"]

    /// Name → absolute path, for the tools that were found.
    public let paths: [String: String]
    /// The cows the real cowsay offers (`cowsay -l`); empty when it is not installed.
    public let cows: [String]

    public init(paths: [String: String] = [:], cows: [String] = []) {
        self.paths = paths
        self.cows = cows
    }

    /// The absolute path of `tool`, if it was found.
    public func path(of tool: String) -> String? {
        self.paths[tool]
    }

    /// Looks for every known tool, and asks cowsay for its cows. `disabled` pretends tools are missing (tests,
    /// or an admin who wants the built-in renderer).
    public static func discover(runner: ProcessRunner, disabled: Set<String> = []) async -> ExternalTools {
        var paths: [String: String] = [:]
        for name in Self.names where !disabled.contains(name) {
            paths[name] = ExecutableSearch.find(name)
        }
        var cows: [String] = []
        if let cowsay = paths["cowsay"],
            let outcome = try? await runner.run(executable: cowsay, arguments: ["-l"]), outcome.succeeded
        {
            // The first line is a heading ("Cow files in /usr/share/cowsay/cows:"); the rest are names.
            cows = outcome.lines.dropFirst().flatMap { $0.split(separator: " ").map(String.init) }
                .filter(Self.isValidCowName)
                .sorted()
        }
        return ExternalTools(paths: paths, cows: cows)
    }
}

extension ExternalTools {
    /// Cow names as `cowsay -l` lists them: letters, digits, `-` and `_` (never a path).
    static func isValidCowName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (Character($0).isLetter || Character($0).isNumber || $0 == "-" || $0 == "_")
            }
    }
}
