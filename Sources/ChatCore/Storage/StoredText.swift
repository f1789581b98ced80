import ChatProtocol

/// Text read back from the store, made exactly as safe as text from a user: a database restored from elsewhere, or
/// written by an older version or by hand, is input too. Cleaned by the one ``Sanitizer`` (so a stored newline, CR,
/// bell, escape sequence or right-to-left override can neither forge a `! ` or `* server:` line nor touch a
/// terminal) and held to the one line cap, ``LineDecoder/maximumLineLength`` bytes, cut on a character boundary.
enum StoredText {
    /// `text` cleaned and capped.
    static func clean(_ text: String) -> String {
        let cleaned = Sanitizer.clean(text)
        let cap = LineDecoder.maximumLineLength
        guard cleaned.utf8.count > cap else { return cleaned }
        var kept = 0
        var end = cleaned.startIndex
        for index in cleaned.indices {
            let size = cleaned[index].utf8.count
            guard kept + size <= cap else { break }
            kept += size
            end = cleaned.index(after: index)
        }
        return String(cleaned[..<end])
    }
}
