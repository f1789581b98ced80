/// Our steam locomotive for `/train`, in the spirit of `sl` (the drawing is ours).
public enum TrainArt {
    /// The `sl` options: `-l` little, `-a` accident (people on board calling for help).
    public struct Options: Sendable, Equatable {
        public var little = false
        public var accident = false

        public init(little: Bool = false, accident: Bool = false) {
            self.little = little
            self.accident = accident
        }
    }

    /// The picture at animation step `frame` (smoke drifts and wheels turn as the frame advances; frame 0 is the
    /// still picture plain-mode clients get).
    public static func lines(_ options: Options = Options(), frame: Int = 0) -> [String] {
        let smoke = Self.smoke[frame % Self.smoke.count]
        var body = options.little ? Self.little : Self.big
        let wheels = options.little ? Self.littleWheels : Self.bigWheels
        body.append(wheels[frame % wheels.count])
        if options.accident {
            body.insert(options.little ? #"   \o/ Help!"# : #"       \o/ Help!        \o/ Help!"#, at: 0)
        }
        return smoke + body
    }

    private static let smoke: [[String]] = [
        [#"                  (  )  (@@)  ( )  (@)"#, #"              ( @@ )"#],
        [#"                 ( @ )  (  )  (@@)  ( )"#, #"              (  @ )"#],
        [#"                  (@@)  ( )  (@)  (  )"#, #"              ( @  )"#],
    ]

    private static let big: [String] = [
        #"           ___||____        ____________________"#,
        #"     _____|  |__|   |      |  s l a s h c h a t |"#,
        #"    |  __ |   []    |______|  ~~~~~~~~~~~~~~~~~ |"#,
        #"  __| |__||_________|      |____________________|"#,
        #" |________________________|==|__|          |__|"#,
    ]

    private static let bigWheels: [String] = [
        #"   \_(O)=(O)=(O)_/ \_(O)_/      (O)        (O)"#,
        #"   \_(o)=(o)=(o)_/ \_(o)_/      (o)        (o)"#,
    ]

    private static let little: [String] = [
        #"      ___||_  ______"#,
        #"   __|  [] | | chat |"#,
        #"  |________|=|______|"#,
    ]

    private static let littleWheels: [String] = [
        #"   (O)  (O)   (O)(O)"#,
        #"   (o)  (o)   (o)(o)"#,
    ]
}
