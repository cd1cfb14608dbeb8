/* SPDX-License-Identifier: MIT */
/* `denials`: reads audit records (audit.log, the journal, dmesg) and answers
 * "would enforcing break this machine?". */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct denials_opts {
        bool json, raw;
        char **permissive_domains;
        size_t n_permissive_domains;
};

/* `ignition-selinux denials`: reads `path` ("-" or NULL: stdin), prints the
 * report to stdout. 0 with *n_enforced set, or a negative errno when the
 * input cannot be read or the report written (logged). */
int denials_run(const char *path, const struct denials_opts *o, size_t *n_enforced);
