extension CommandInvocation {
    /// The first word and the rest of the text as typed, e.g. `bob` and `hi there` for `/msg bob hi there`.
    public func splitFirstWord() -> (first: String, rest: String)? {
        let text = Substring(self.arguments)
        guard let end = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            return text.isEmpty ? nil : (String(text), "")
        }
        let rest = text[end...].drop(while: { $0 == " " || $0 == "\t" })
        return (String(text[..<end]), String(rest))
    }
}
