import ChatCore
import Foundation
import Testing

@Suite struct TrainArtTests {
    static let allOptions = [
        TrainArt.Options(),
        TrainArt.Options(little: true),
        TrainArt.Options(accident: true),
        TrainArt.Options(little: true, accident: true),
    ]

    static func width(_ lines: [String]) -> Int {
        lines.map(\.count).max() ?? 0
    }

    @Test(arguments: TrainArtTests.allOptions, [0, 1, 2, 5])
    func everyLineHasSomethingOnIt(options: TrainArt.Options, frame: Int) {
        let lines = TrainArt.lines(options, frame: frame)
        #expect(lines.count >= 4)
        #expect(lines.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(lines.allSatisfy { $0.allSatisfy { $0.isASCII && !$0.isNewline } })
    }

    @Test func theLittleTrainIsSmaller() {
        let big = TrainArt.lines()
        let little = TrainArt.lines(TrainArt.Options(little: true))
        #expect(little.count < big.count)
        #expect(Self.width(little) < Self.width(big))
    }

    @Test(arguments: [false, true])
    func anAccidentAddsOneLineCallingForHelp(little: Bool) {
        let calm = TrainArt.lines(TrainArt.Options(little: little))
        let accident = TrainArt.lines(TrainArt.Options(little: little, accident: true))
        #expect(accident.count == calm.count + 1)
        #expect(!calm.contains { $0.contains("Help") })
        #expect(accident.filter { $0.contains("Help") }.count == 1)
        #expect(accident.filter { !$0.contains("Help") } == calm)
    }

    @Test(arguments: TrainArtTests.allOptions)
    func consecutiveFramesDiffer(options: TrainArt.Options) {
        let frames = (0..<3).map { TrainArt.lines(options, frame: $0) }
        #expect(frames[0] != frames[1])
        #expect(frames[1] != frames[2])
        #expect(frames[0] != frames[2])
    }

    @Test func framesKeepTheSameShape() {
        let frames = (0..<6).map { TrainArt.lines(frame: $0) }
        #expect(Set(frames.map(\.count)).count == 1)
    }

    @Test func frameZeroIsTheDefaultStillPicture() {
        #expect(TrainArt.lines() == TrainArt.lines(TrainArt.Options(), frame: 0))
    }
}
