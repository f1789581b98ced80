import ChatCore
import ChatProtocol

/// A small VT100 model: enough of a terminal to rebuild what the client's output shows.
///
/// Understands printable text (wide characters take two cells), `\r`, `\n` (a bare line feed, as the terminal sees it
/// after the pty's `ONLCR` has added the `\r`), BEL, backspace, and the CSI sequences the client writes: `K`, `J`,
/// `A`/`B`/`C`/`D`, `H`, `2J`, with SGR (`m`) and anything else ignored. Lines scrolled off the top are kept in
/// ``scrollback``.
public struct VirtualScreen: CustomStringConvertible, Sendable {
    public let rows: Int
    public let columns: Int
    /// One string per cell: a character, "" for the right half of a wide one, " " for blank.
    public private(set) var cells: [[String]]
    public private(set) var cursorRow = 0
    public private(set) var cursorColumn = 0
    /// Lines that scrolled off the top, oldest first.
    public private(set) var scrollback: [String] = []
    /// Set after printing into the last column: the next printable character wraps first (as xterm does).
    private var pendingWrap = false

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
    }

    /// A screen that has shown `bytes`.
    public init(rows: Int, columns: Int, showing bytes: [UInt8]) {
        self.init(rows: rows, columns: columns)
        self.feed(bytes)
    }

    // MARK: Reading

    /// The visible text of `row`, without trailing blanks.
    public func line(_ row: Int) -> String {
        var text = self.cells[row].joined()
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Every visible row, top to bottom.
    public var lines: [String] {
        (0..<self.rows).map(self.line)
    }

    /// The row the cursor is on: the prompt line, for the client.
    public var cursorLine: String {
        self.line(self.cursorRow)
    }

    /// The visible rows that are not blank, top to bottom.
    public var nonBlankLines: [String] {
        self.lines.filter { !$0.isEmpty }
    }

    /// Everything that was ever shown and not cleared: scrollback, then the screen.
    public var history: [String] {
        self.scrollback + self.lines
    }

    public var description: String {
        let rule = "+" + String(repeating: "-", count: self.columns) + "+"
        let body = self.lines.enumerated().map { row, text in
            "|" + text + (row == self.cursorRow ? "  ← cursor at column \(self.cursorColumn)" : "")
        }
        return ([rule] + body + [rule]).joined(separator: "\n")
    }

    // MARK: Writing

    /// Interprets terminal output.
    public mutating func feed(_ bytes: [UInt8]) {
        var scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:
                self.escape(&scalars)
            case 0x0D:
                self.cursorColumn = 0
                self.pendingWrap = false
            case 0x0A, 0x0B, 0x0C:
                self.lineFeed()
            case 0x08:
                self.cursorColumn = max(0, self.cursorColumn - 1)
                self.pendingWrap = false
            case 0x00..<0x20, 0x7F..<0xA0:
                break  // BEL and the rest: nothing to show.
            default:
                self.put(Character(scalar))
            }
        }
    }

    /// `text` as a terminal whose output processing turns `\n` into `\r\n` shows it (as a pty does).
    public mutating func feed(terminalOutput text: String) {
        self.feed(Array(text.replacing("\n", with: "\r\n").utf8))
    }

    private mutating func put(_ character: Character) {
        let width = TerminalWidth.of(character)
        if width == 0 {
            // A combining mark joins the cell before it.
            let column = max(0, self.cursorColumn - (self.pendingWrap ? 0 : 1))
            self.cells[self.cursorRow][column] += String(character)
            return
        }
        if self.pendingWrap || self.cursorColumn + width > self.columns {
            self.cursorColumn = 0
            self.lineFeed()
        }
        self.cells[self.cursorRow][self.cursorColumn] = String(character)
        if width == 2, self.cursorColumn + 1 < self.columns {
            self.cells[self.cursorRow][self.cursorColumn + 1] = ""
        }
        if self.cursorColumn + width >= self.columns {
            self.cursorColumn = self.columns - 1
            self.pendingWrap = true
        } else {
            self.cursorColumn += width
        }
    }

    private mutating func lineFeed() {
        self.pendingWrap = false
        if self.cursorRow == self.rows - 1 {
            self.scrollback.append(self.line(0))
            self.cells.removeFirst()
            self.cells.append(Self.blankRow(self.columns))
        } else {
            self.cursorRow += 1
        }
    }

    private mutating func escape(_ scalars: inout String.UnicodeScalarView.Iterator) {
        guard let introducer = scalars.next() else { return }
        guard introducer == "[" else { return }  // Two-character sequences: nothing the client sends matters.
        var parameters = ""
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) {
                self.control(final: Character(scalar), parameters: parameters)
                return
            }
            parameters.unicodeScalars.append(scalar)
        }
    }

    private mutating func control(final: Character, parameters: String) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let count = max(1, numbers.first.flatMap { $0 } ?? 1)
        self.pendingWrap = false
        switch final {
        case "A":
            self.cursorRow = max(0, self.cursorRow - count)
        case "B":
            self.cursorRow = min(self.rows - 1, self.cursorRow + count)
        case "C":
            self.cursorColumn = min(self.columns - 1, self.cursorColumn + count)
        case "D":
            self.cursorColumn = max(0, self.cursorColumn - count)
        case "H", "f":
            let row = numbers.first.flatMap { $0 } ?? 1
            let column = numbers.count > 1 ? numbers[1] ?? 1 : 1
            self.cursorRow = min(self.rows - 1, max(0, row - 1))
            self.cursorColumn = min(self.columns - 1, max(0, column - 1))
        case "K":
            switch numbers.first.flatMap({ $0 }) ?? 0 {
            case 0: self.clear(row: self.cursorRow, from: self.cursorColumn)
            case 1: self.clear(row: self.cursorRow, upTo: self.cursorColumn)
            default: self.clear(row: self.cursorRow, from: 0)
            }
        case "J":
            switch numbers.first.flatMap({ $0 }) ?? 0 {
            case 0:
                self.clear(row: self.cursorRow, from: self.cursorColumn)
                for row in (self.cursorRow + 1)..<self.rows { self.clear(row: row, from: 0) }
            case 1:
                for row in 0..<self.cursorRow { self.clear(row: row, from: 0) }
                self.clear(row: self.cursorRow, upTo: self.cursorColumn)
            default:
                for row in 0..<self.rows { self.clear(row: row, from: 0) }
            }
        default:
            break  // SGR colours and everything else change nothing we read.
        }
    }

    private mutating func clear(row: Int, from column: Int) {
        for index in column..<self.columns { self.cells[row][index] = " " }
    }

    private mutating func clear(row: Int, upTo column: Int) {
        for index in 0...min(column, self.columns - 1) { self.cells[row][index] = " " }
    }

    private static func blankRow(_ columns: Int) -> [String] {
        Array(repeating: " ", count: columns)
    }
}
