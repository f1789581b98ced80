/// One page of a long answer, so no command's answer grows with the size of the server: a `/who` in a room of
/// thousands is still a line a client can take and a reader's outbox never notices.
struct Page<Element> {
    /// What is on this page.
    let elements: ArraySlice<Element>
    /// This page's number, from 1.
    let number: Int
    /// How many pages there are (at least 1).
    let count: Int

    /// Page `number` (from 1) of `all`, `size` to a page; an error naming the page count when there is no such page.
    init(_ all: [Element], number: Int, size: Int) throws(CommandError) {
        self.count = max(1, (all.count + size - 1) / size)
        guard (1...self.count).contains(number) else {
            throw .failed("There \(self.count == 1 ? "is 1 page" : "are \(self.count) pages").")
        }
        self.number = number
        self.elements = all.dropFirst((number - 1) * size).prefix(size)
    }

    /// True when a later page exists.
    var hasMore: Bool { self.number < self.count }

    /// `, page 2 of 7` when there is more than one page, else nothing.
    var label: String { self.count > 1 ? ", page \(self.number) of \(self.count)" : "" }

    /// The page number a command's last argument asks for: 1 without one.
    static func number(in words: [String], usage: CommandDescriptor) throws(CommandError) -> Int {
        guard let word = words.last else { return 1 }
        guard words.count == 1, let number = Int(word), number >= 1 else { throw .usage(usage) }
        return number
    }
}
