/* SPDX-License-Identifier: MIT */
/* /etc/selinux/config: reading SELINUX= and SELINUXTYPE=, and rewriting
 * them while keeping every other line as it was. */
#pragma once

#include <stddef.h>

#include "config.h"

struct seconfig_values {
        enum se_mode mode; /* SE_MODE_UNSET if absent or unknown */
        char *type;        /* NULL if absent */
};

/* Parses the values libselinux would read from `text`. */
int seconfig_parse(const char *text, size_t len, struct seconfig_values *v);
void seconfig_values_free(struct seconfig_values *v);

/* Returns in *out (malloc'd, NUL-terminated, *outlen bytes) `text` with
 * every SELINUX= and SELINUXTYPE= line set to `mode` and `type`; a key that
 * is absent is appended. Other lines, comments and order are kept; the result
 * ends with a newline. */
int seconfig_rewrite(const char *text, size_t len, enum se_mode mode, const char *type, char **out,
                     size_t *outlen);
