import ChatCore

/// `ShellWords.split` on arbitrary text (plugin arguments as typed).
///
/// Properties:
/// - splitting is total and deterministic: it returns words or throws `UnterminatedQuote` for `'` or `"`;
/// - text without quotes or backslashes splits exactly at runs of spaces and tabs;
/// - quoting words (single quotes, `'\''` for a quote) and splitting the result gives the same words back, both for
///   the words of the input and for the whole input as one word; nothing is expanded or lost on the way.
enum ShellWordsChecks {
    static func check(_ input: [UInt8]) throws {
        let text = String(decoding: input, as: UTF8.self)
        let result = Self.split(text)
        try PropertyViolation.require(
            Self.describe(result) == Self.describe(Self.split(text)),
            "splitting \(text.debugDescription) is not deterministic"
        )
        let plain = !text.unicodeScalars.contains(where: { $0 == "'" || $0 == "\"" || $0 == "\\" })
        if plain {
            let expected = Self.blankSeparated(text)
            try PropertyViolation.require(
                Self.describe(result) == Self.describe(.success(expected)),
                "\(text.debugDescription) splits as \(Self.describe(result)), expected \(expected)"
            )
        }
        let words: [String]
        switch result {
        case .success(let split): words = split
        case .failure(let error):
            try PropertyViolation.require(error.quote == "'" || error.quote == "\"", "odd quote in \(error)")
            words = Self.blankSeparated(text)
        }
        try Self.requireRoundTrip(words)
        try Self.requireRoundTrip([text])
    }

    static func requireRoundTrip(_ words: [String]) throws {
        let line = words.map(Self.quoted).joined(separator: " ")
        let back = Self.split(line)
        try PropertyViolation.require(
            Self.describe(back) == Self.describe(.success(words)),
            "\(words) quoted as \(line.debugDescription) splits as \(Self.describe(back))"
        )
    }

    /// `word` in single quotes, each `'` in it written `'\''`, as a POSIX shell would read it.
    static func quoted(_ word: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append("'")
        for scalar in word.unicodeScalars {
            if scalar == "'" {
                scalars.append(contentsOf: "'\\''".unicodeScalars)
            } else {
                scalars.append(scalar)
            }
        }
        scalars.append("'")
        return String(scalars)
    }

    /// The text cut at runs of spaces and tabs, scalar by scalar as a shell reads bytes.
    static func blankSeparated(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" {
                if !current.isEmpty {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty {
            words.append(String(current))
        }
        return words
    }

    static func split(_ text: String) -> Result<[String], ShellWords.UnterminatedQuote> {
        Result { () throws(ShellWords.UnterminatedQuote) in try ShellWords.split(text) }
    }

    /// Words compared scalar by scalar (String equality would treat canonically equivalent words as equal).
    static func describe(_ result: Result<[String], ShellWords.UnterminatedQuote>) -> String {
        switch result {
        case .success(let words):
            "words "
                + words.map { "[" + $0.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ") + "]" }
                .joined(separator: ",")
        case .failure(let error):
            "error \(error)"
        }
    }
}
