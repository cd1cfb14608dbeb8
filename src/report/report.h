/* SPDX-License-Identifier: MIT */
/* `denials`: reads audit records (audit.log, the journal, dmesg) and answers
 * "would enforcing break this machine?". */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct denials_opts {
        bool json, raw;     /* groups as JSON; records as read (with json: a JSON array) */
        bool cil, ignition; /* the allow rules as a CIL module; that module in a selinux block */
        char **permissive_domains;
        size_t n_permissive_domains;
};

/* `ignition-selinux denials`: reads `path` ("-" or NULL: stdin) in one pass and bounded
 * memory, prints the report to stdout. 0 with *n_refused set to the number of denials
 * enforcing would enforce plus SELinux errors (all refused under enforcing), or a negative
 * errno when the input cannot be read or the report written (logged). */
int denials_run(const char *path, const struct denials_opts *o, size_t *n_refused);
