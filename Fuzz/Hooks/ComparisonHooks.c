// Comparison callbacks that feed nothing libFuzzer uses in `make fuzz`.
//
// The coverage instrumentation calls a libFuzzer callback at every integer comparison and
// indirect call of Inquest's modules. For 4- and 8-byte operands the callback records the values
// for the mutator (libFuzzer's "table of recent compares": lengths, small strings held inline),
// and those stay as they are. For 1- and 2-byte operands (mostly bytes of the text compared with
// ASCII characters) and for indirect calls it only adds to the value profile, which libFuzzer
// reads with -use_value_profile=1 alone: without it they were a tenth of `site`'s time for
// nothing. `make fuzz` links with `--wrap` for these five callbacks, so the instrumented code
// calls the functions below; they hand the call on (a tail call, which keeps the caller's
// address libFuzzer hashes) only when the command line asks for value profiles. In any other
// build nothing calls them.
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

extern void __real___sanitizer_cov_trace_cmp1(uint8_t, uint8_t) __attribute__((weak));
extern void __real___sanitizer_cov_trace_const_cmp1(uint8_t, uint8_t) __attribute__((weak));
extern void __real___sanitizer_cov_trace_cmp2(uint16_t, uint16_t) __attribute__((weak));
extern void __real___sanitizer_cov_trace_const_cmp2(uint16_t, uint16_t) __attribute__((weak));
extern void __real___sanitizer_cov_trace_pc_indir(uintptr_t) __attribute__((weak));

static int valueProfile;

/// Reads libFuzzer's flags from /proc/self/cmdline: value profiles are on when the last
/// `-use_value_profile=` gives anything but 0.
__attribute__((constructor)) static void inquestFuzzReadValueProfileFlag(void) {
    static char buffer[65536];
    int file = open("/proc/self/cmdline", O_RDONLY);
    if (file < 0) return;
    ssize_t total = 0, count;
    while (total < (ssize_t)sizeof(buffer) - 1 && (count = read(file, buffer + total, sizeof(buffer) - 1 - total)) > 0) total += count;
    close(file);
    const char flag[] = "-use_value_profile=";
    for (ssize_t start = 0; start < total; start += (ssize_t)strlen(buffer + start) + 1) {
        const char *argument = buffer + start;
        if (strncmp(argument, flag, sizeof(flag) - 1) == 0) valueProfile = strcmp(argument + sizeof(flag) - 1, "0") != 0;
    }
    // The five come from libFuzzer together; without it (not linked by `make fuzz`) none is called.
    if (!__real___sanitizer_cov_trace_cmp1) valueProfile = 0;
}

void __wrap___sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b) {
    if (valueProfile) __real___sanitizer_cov_trace_cmp1(a, b);
}

void __wrap___sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b) {
    if (valueProfile) __real___sanitizer_cov_trace_const_cmp1(a, b);
}

void __wrap___sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b) {
    if (valueProfile) __real___sanitizer_cov_trace_cmp2(a, b);
}

void __wrap___sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b) {
    if (valueProfile) __real___sanitizer_cov_trace_const_cmp2(a, b);
}

void __wrap___sanitizer_cov_trace_pc_indir(uintptr_t callee) {
    if (valueProfile) __real___sanitizer_cov_trace_pc_indir(callee);
}
