#ifndef SLASHCHAT_CFUZZDRIVER_H
#define SLASHCHAT_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (from libclang_rt.fuzzer, linked by `-sanitize=fuzzer`): parses libFuzzer's flags from
/// argv and fuzzes `callback`. The fuzz executables call it from their own `main`, because SwiftPM points `main`
/// at the executable's top-level code (`--defsym main=MODULE_main`), which hides the `main` libFuzzer ships.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
