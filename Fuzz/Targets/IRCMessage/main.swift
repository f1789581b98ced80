import CFuzzDriver
import FuzzChecks

// The fuzz executable for `FuzzTarget.ircMessage`. SwiftPM makes an executable's top-level code its `main`
// (`--defsym main=FuzzNAME_main`), which shadows the `main` libFuzzer ships, so this code starts libFuzzer's driver
// itself (and so lives in `main.swift`). `LLVMFuzzerTestOneInput` is still defined under its usual name: libFuzzer's
// unused `main` refers to it, and other fuzzing tools look for it.

/// Runs the property checks on one input; aborts (a crash, to libFuzzer) when one fails.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzEntry.run(.ircMessage, data, count)
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
FuzzEntry.exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
