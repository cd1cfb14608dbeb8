/* SPDX-License-Identifier: MIT */
/* The specs of a file_contexts file, as libselinux 3.x reads them: from the
 * text, or from the compiled .bin that it prefers when that is as new. Only
 * what decides a lookup is kept (regex, file type, context), so that the two
 * forms of one file can be compared. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fc_spec {
        const char *re, *ctx; /* point into the buffer parsed */
        uint32_t mode;        /* S_IFMT bits, 0 for any type */
        bool meta;            /* libselinux's hasMetaChars: exact paths sort last */
};

struct fc_specs {
        struct fc_spec *v;
        size_t n, allocated;
};

void fc_specs_done(struct fc_specs *s);

/* Text: one spec per line, "REGEX [TYPE] CONTEXT"; '#' lines and blank
 * lines skipped. `text` (NUL-terminated) is cut into tokens in place.
 * -EINVAL for a line libselinux would refuse. */
int fc_specs_from_text(char *text, struct fc_specs *out);

/* A compiled file_contexts.bin of format 4 or 5 (libselinux 2.5 to 3.x);
 * -EOPNOTSUPP for another format, -EINVAL for a damaged one. The specs
 * point into `buf`. */
int fc_specs_from_bin(const void *buf, size_t len, struct fc_specs *out);

/* The characters every match of `re` begins with: up to the first
 * metacharacter (a backslash ends it too), less the one before a
 * quantifier ("/etc/dhcp3?/" begins with "/etc/dhcp"). Not meaningful when
 * fc_alternates() (a top-level '|'). */
size_t fc_literal_prefix(const char *re);
bool fc_alternates(const char *re);

/* The file type token for S_IFMT bits `mode` ("--" for S_IFREG), NULL for
 * 0 or anything else. */
const char *fc_type_token(uint32_t mode);

/* Whether `path` is `root` or beneath it. */
bool fc_path_beneath(const char *path, const char *root);

/* libselinux's hasMetaChars. */
bool fc_has_meta(const char *re);

/* Whether `re` (anchored, as libselinux anchors it) may match `root` or a
 * path beneath it. */
bool fc_may_match_beneath(const char *re, const char *root);
bool fc_may_match_beneath_any(const char *re, const char *const *roots, size_t n_roots);
