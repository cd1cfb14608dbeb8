/* SPDX-License-Identifier: MIT */
/* Diagnostics about user input: a list of complete, formatted lines such as
 * `FILE:LINE:COL: $.selinux.mode: expected ..., got "enforce" (did you mean
 * "enforcing"?)`. Parsers add to it; the caller decides where to print. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

struct diag {
        enum diag_severity severity;
        char *text; /* without trailing newline, without "error:" prefix */
};

struct diags {
        struct diag *items;
        size_t n, allocated;
        size_t n_errors;
};

int diags_add(struct diags *d, enum diag_severity sev, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Prints "TEXT" lines to f, each prefixed "error: " or "warning: ". */
void diags_print(const struct diags *d, FILE *f);
void diags_free(struct diags *d);

/* Strings in messages are cut after this many characters; a buffer of
 * QUOTED_SIZE holds any such rendering. */
#define QUOTED_MAX_CHARS 40
#define QUOTED_SIZE (QUOTED_MAX_CHARS * 6 + 16)

/* Writes `len` bytes of `s` into out as a quoted string for a message: at
 * most `max_chars` characters, then "..."; quotes, backslashes and control
 * characters escaped as JSON escapes them, bytes that are not UTF-8 as \xNN. */
void diag_quote(char *out, size_t size, const char *s, size_t len, size_t max_chars);

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
