/* SPDX-License-Identifier: MIT */
/* Shared helpers of the libFuzzer targets (fuzz/run.sh builds and runs them).
 * Targets print nothing on their own: diagnostics are collected and freed.
 * A broken invariant is a finding: it says which, then abort()s, which
 * libFuzzer reports as a crash and saves the input. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                                  \
        do {                                                                               \
                if (!(cond)) {                                                             \
                        fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
                                #cond);                                                    \
                        abort();                                                           \
                }                                                                          \
        } while (0)

/* A malloc'd copy of data[0..size) followed by a NUL, so a parser that wants
 * a C string gets one, and ASan still sees the exact end of the buffer. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);

        if (!s)
                abort();
        if (size)
                memcpy(s, data, size);
        s[size] = '\0';
        return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
