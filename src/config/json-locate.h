/* SPDX-License-Identifier: MIT */
/* Positions in JSON text. json-c builds values but forgets where they came
 * from and silently keeps the last of duplicate keys; this small scanner
 * answers "where is $.selinux.mode?" and "which keys appear twice?" on the
 * same text, and checks the points of strict JSON that json-c lets through.
 * Every function is bounded by `len` and safe on arbitrary bytes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Nesting deeper than this is not descended into (json-c is given the same
 * limit, so well-formed accepted input never reaches it). */
#define JL_MAX_DEPTH 64

/* One step of a path: an object key, or an array index when key is NULL. */
struct jl_step {
        const char *key;
        size_t index;
};

#define JL_KEY(k) ((struct jl_step){.key = (k)})
#define JL_INDEX(i) ((struct jl_step){.index = (i)})

struct jl_loc {
        size_t value_off; /* first byte of the value */
        size_t key_off;   /* opening quote of its key, if has_key */
        bool has_key;
};

/* Finds the value at `steps` (n == 0: the top-level value). Of duplicate
 * keys the last counts, as in json-c. Returns 0, -ENOENT if the path does
 * not exist, -EINVAL if the text is malformed along the way. */
int jl_locate(const char *text, size_t len, const struct jl_step *steps, size_t n,
              struct jl_loc *loc);

/* Called for each key that repeats an earlier key of the same object.
 * `path` is the JSON path of the key ("$.selinux.mode"). A negative return
 * stops the search and is returned. */
typedef int (*jl_dup_fn)(const char *path, size_t first_key_off, size_t dup_key_off,
                         void *userdata);

/* Reports duplicate keys of the object at `steps` and, if `recursive`, of
 * every object nested inside it. Returns 0, -ENOENT if the path does not
 * exist, -EINVAL on malformed text, -ENOMEM, or the callback's error. */
int jl_find_duplicates(const char *text, size_t len, const struct jl_step *steps, size_t n,
                       bool recursive, jl_dup_fn fn, void *userdata);

/* Checks `text` against RFC 8259 (one value, surrounded by whitespace at
 * most). On error returns -EINVAL with the offending offset and a static
 * message such as "control character in string". */
int jl_check_syntax(const char *text, size_t len, size_t *err_off, const char **err_msg);

/* Returns a new path: `parent` followed by ".key", or by ["key"] (escaped)
 * when the key is not a plain identifier. NULL on ENOMEM. */
char *jl_path_key(const char *parent, const char *key, size_t keylen);
/* Returns a new path: `parent` followed by "[index]". NULL on ENOMEM. */
char *jl_path_index(const char *parent, size_t index);

/* Offset of the first byte that does not start a valid UTF-8 sequence
 * (overlong forms and surrogates are invalid), or len if there is none. */
size_t jl_utf8_invalid_at(const char *text, size_t len);

/* 1-based line and column of byte `off`; columns count characters (UTF-8
 * sequences), not bytes. */
void jl_line_col(const char *text, size_t len, size_t off, unsigned *line, unsigned *col);

/* Appends a quoted, escaped rendering of s[0..len) to `out` (size `size`,
 * always NUL-terminated): at most `max_chars` characters, followed by "..."
 * outside the quotes if cut. Control characters and invalid UTF-8 are
 * escaped, so the result is safe to print on a terminal. */
void jl_render_string(char *out, size_t size, const char *s, size_t len, size_t max_chars);
