extension StringProtocol {
    /// The string without leading and trailing spaces and tabs (other characters, controls included, stay).
    public func trimmingSpacesAndTabs() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = self.firstIndex(where: { !isBlank($0) }), let end = self.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(self[start...end])
    }
}
