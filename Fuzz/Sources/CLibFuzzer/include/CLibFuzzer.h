#ifndef OUTCOMED_CLIBFUZZER_H
#define OUTCOMED_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for a program that has its own main (the Swift one): parses the
/// libFuzzer flags in argv and fuzzes `callback` (compiler-rt's FuzzerInterface.h).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
