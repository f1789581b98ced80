import ChatCore
import Foundation
import Testing

@Suite struct EyesArtTests {
    static let gazes: [EyesArt.Gaze] = [.left, .straight, .right]

    /// Where the pupils sit on the line that has them.
    static func pupilColumns(_ lines: [String]) -> [Int] {
        let line = lines.first { $0.contains("o") } ?? ""
        return line.enumerated().filter { $0.element == "o" }.map(\.offset)
    }

    @Test(arguments: EyesArtTests.gazes)
    func drawsTwoEyesAndTheCaptionLast(gaze: EyesArt.Gaze) {
        let lines = EyesArt.lines(gaze: gaze, caption: "looking at bob")
        #expect(lines.count >= 3)
        #expect(lines.last?.trimmingCharacters(in: .whitespaces) == "looking at bob")
        #expect(lines.dropLast().allSatisfy { !$0.contains("bob") })
        #expect(Self.pupilColumns(lines).count == 2)
    }

    @Test func theGazeMovesThePupils() {
        let columns = Self.gazes.map { Self.pupilColumns(EyesArt.lines(gaze: $0, caption: "x")) }
        let (left, straight, right) = (columns[0], columns[1], columns[2])
        #expect(left.count == 2 && straight.count == 2 && right.count == 2)
        for eye in 0..<2 {
            #expect(left[eye] < straight[eye])
            #expect(straight[eye] < right[eye])
        }
    }

    @Test func onlyThePupilLineChangesWithTheGaze() {
        let left = EyesArt.lines(gaze: .left, caption: "x")
        let right = EyesArt.lines(gaze: .right, caption: "x")
        #expect(left.count == right.count)
        #expect(zip(left, right).filter { $0 != $1 }.count == 1)
    }
}
