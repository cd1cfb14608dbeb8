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
