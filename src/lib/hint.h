/* SPDX-License-Identifier: MIT */
/* "Did you mean ...?" suggestions for mistyped words and keys. */
#pragma once

#include <stddef.h>

/* A known near miss that edit distance does not catch ("enforce" for the
 * key "mode"). Compared case-insensitively, ignoring '_' and '-'. */
struct hint_alias {
        const char *from;
        const char *to;
};

/* Returns the candidate `got` most likely meant, or NULL if none is close.
 * Matching ignores case, '_' and '-'; a candidate is close if it is equal,
 * within a small edit distance, a prefix of `got` or the other way round, or
 * shares a long common start with it. */
const char *hint_closest(const char *got, const char *const *candidates, size_t n);
/* The same, trying the aliases first (their `to` need not be a candidate). */
const char *hint_closest_ex(const char *got, const char *const *candidates, size_t n,
                            const struct hint_alias *aliases, size_t n_aliases);
