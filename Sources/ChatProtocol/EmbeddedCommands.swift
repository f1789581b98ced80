/// Finds the seeds' legacy commands inside a message: `:tada: /cowsay?Hello World/` is the text `:tada:` plus
/// the command `/cowsay Hello World`.
///
/// Only the legacy forms count (`/name?args/` and `/name/`, closed by their slash), only at the start of a word,
/// and only for names the registry knows, so a path or URL in ordinary chat stays text.
public enum EmbeddedCommands {
    /// At most this many commands run from one message.
    public static let maximumPerMessage = 3

    /// The message without its embedded commands, and the commands in order. `text` may carry the markers of
    /// ``Sanitizer/markingRemovals(_:)`` (so an embedded command can refuse a cleaned name); the text returned
    /// never does.
    public static func extract(
        from text: String,
        isCommand: (String) -> Bool
    ) -> (text: String, commands: [CommandInvocation]) {
        guard text.contains("/") else { return (Sanitizer.removingMarkers(text), []) }
        var commands: [CommandInvocation] = []
        var kept = ""
        var rest = Substring(text)
        while commands.count < Self.maximumPerMessage,
            let slash = Self.nextWordStartingSlash(in: rest, after: Self.character(before: rest, in: text))
        {
            guard let (invocation, end) = Self.legacyInvocation(at: slash, in: rest), isCommand(invocation.name)
            else {
                // A path, a URL piece or an unknown name: text. Look on after this slash.
                let next = rest.index(after: slash)
                kept += rest[..<next]
                rest = rest[next...]
                continue
            }
            kept += rest[..<slash]
            commands.append(invocation)
            rest = rest[end...]
        }
        kept += rest
        return (
            commands.isEmpty
                ? Sanitizer.removingMarkers(text) : Sanitizer.removingMarkers(kept).trimmingSpacesAndTabs(), commands
        )
    }

    /// The last character before `rest` in `text` that the user sees (a blank at the start of the text).
    private static func character(before rest: Substring, in text: String) -> Character {
        let marker = Character(Sanitizer.removalMarker)
        return text[..<rest.startIndex].last(where: { $0 != marker }) ?? " "
    }

    /// The first `/` that starts a word (at the beginning, or after a blank; `previous` is what comes before
    /// `text`, so a search that resumes mid-word knows it). A removal marker is not a character the user sees, so it
    /// does not count as one here either.
    private static func nextWordStartingSlash(in text: Substring, after previous: Character) -> Substring.Index? {
        let marker = Character(Sanitizer.removalMarker)
        var previous = previous
        for index in text.indices where text[index] != marker {
            if text[index] == "/", previous == " " || previous == "\t" {
                return index
            }
            previous = text[index]
        }
        return nil
    }

    /// The first `/` followed by a blank or the end of the text.
    private static func closingSlash(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while let slash = text[index...].firstIndex(of: "/") {
            let next = text.index(after: slash)
            if next == text.endIndex || text[next] == " " || text[next] == "\t" {
                return slash
            }
            index = next
        }
        return nil
    }

    /// `/name?args/` or `/name/` starting at `start`, and where it ends.
    private static func legacyInvocation(
        at start: Substring.Index,
        in text: Substring
    ) -> (CommandInvocation, Substring.Index)? {
        let body = text[text.index(after: start)...]
        guard let separator = body.firstIndex(where: { $0 == "?" || $0 == "/" || $0 == " " }),
            body[separator] != " ", separator > body.startIndex
        else { return nil }
        let name = String(body[..<separator])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
        if body[separator] == "/" {
            return (CommandInvocation(name: name, isLegacyForm: true), body.index(after: separator))
        }
        let argumentsStart = body.index(after: separator)
        // The closing slash is the first one that ends a word: `/msg?bob one/two/ rest` sends bob "one/two", and
        // nothing of a private message can spill into the room text.
        guard let close = Self.closingSlash(in: body[argumentsStart...]) else { return nil }
        let arguments = body[argumentsStart..<close].trimmingSpacesAndTabs()
        return (CommandInvocation(name: name, arguments: arguments, isLegacyForm: true), body.index(after: close))
    }
}
