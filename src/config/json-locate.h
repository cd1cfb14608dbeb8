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

/* Keys longer than this many characters are cut in paths ("..." after the
 * quotes), as strings are in messages. */
#define JL_PATH_KEY_MAX_CHARS 40

/* Returns a new path: `parent` followed by ".key", or by ["key"] (escaped,
 * cut after JL_PATH_KEY_MAX_CHARS characters) when the key is not a short
 * plain identifier. NULL on ENOMEM. */
char *jl_path_key(const char *parent, const char *key, size_t keylen);
/* Returns a new path: `parent` followed by "[index]". NULL on ENOMEM. */
char *jl_path_index(const char *parent, size_t index);

/* Offset of the first byte that does not start a valid UTF-8 sequence
 * (overlong forms and surrogates are invalid), or len if there is none. */
size_t jl_utf8_invalid_at(const char *text, size_t len);

/* 1-based line and column of byte `off`; columns count characters (UTF-8
 * sequences), not bytes. */
void jl_line_col(const char *text, size_t len, size_t off, unsigned *line, unsigned *col);


/* ---- a document: positions from an index built as they are asked for ----
 *
 * jl_locate() scans from the start for every question, which makes a check
 * that asks about each of n entries cost n times the text. A jl_doc answers
 * the same questions from tables built on first use and kept: the members
 * of each object on the way (sorted by key, so a lookup is a binary
 * search) and the elements of each array, each built by one scan of that
 * container; and a table of line and column every JL_DOC_STRIDE bytes, so
 * a line and column costs at most that many bytes of scanning. Only the
 * containers on the paths asked for are indexed, so memory grows with what
 * is looked at, not with the text. Safe on arbitrary bytes, exact on text
 * that passed jl_check_syntax(). */
struct jl_doc;

#define JL_DOC_STRIDE 256

/* One member of an object, in text order. `key` is decoded (escapes
 * resolved, NUL-terminated, may hold NULs: keylen counts them). `last` is
 * false when a later member has the same key: json-c keeps the last. */
struct jl_member {
        const char *key;
        size_t keylen, key_off, value_off;
        bool last;
};

/* The doc keeps `text` (not a copy): it must outlive it. Returns 0 or -ENOMEM. */
int jl_doc_new(const char *text, size_t len, struct jl_doc **out);
void jl_doc_free(struct jl_doc *doc);
const char *jl_doc_text(const struct jl_doc *doc);
size_t jl_doc_len(const struct jl_doc *doc);

/* As jl_locate(), from the tables. */
int jl_doc_locate(struct jl_doc *doc, const struct jl_step *steps, size_t n, struct jl_loc *loc);

/* The members of the object whose value starts at `off`: -ENOENT if it is
 * not an object, -EINVAL if malformed, -ENOMEM. The table belongs to the
 * doc. */
int jl_doc_members(struct jl_doc *doc, size_t off, const struct jl_member **m, size_t *n);

/* The member `key` (the last of duplicates) of the object at `off`:
 * 0, -ENOENT (no such member, or not an object), -EINVAL, -ENOMEM. */
int jl_doc_member(struct jl_doc *doc, size_t off, const char *key, struct jl_loc *loc);

/* The offsets of the elements of the array at `off`, as jl_doc_members(). */
int jl_doc_elements(struct jl_doc *doc, size_t off, const size_t **offs, size_t *n);

/* As jl_line_col(), in time bounded by JL_DOC_STRIDE after one scan. */
void jl_doc_line_col(struct jl_doc *doc, size_t off, unsigned *line, unsigned *col);

/* The string value at `off` decoded (escapes resolved; may hold NULs): a
 * malloc'd, NUL-terminated buffer of *outlen bytes. -EINVAL if there is no
 * well-formed string there, -ENOMEM. */
int jl_string_at(const char *text, size_t len, size_t off, char **out, size_t *outlen);

/* One past the end of the value at `off`, without recursion. -EINVAL if
 * malformed. */
int jl_value_end(const char *text, size_t len, size_t off, size_t *end);

/* Counts the values of the value at `off` (itself included: a scalar is 1)
 * and, of them, the objects and arrays. Linear, no allocation. -EINVAL if
 * malformed. */
int jl_count_values(const char *text, size_t len, size_t off, size_t *values, size_t *containers);

/* The member `key` (the last of duplicates) of the object at `off`, by one
 * scan of that object and no table kept: for looking once into each of many
 * objects (every element of a large array) without indexing them all. As
 * jl_doc_member(), without -ENOMEM. */
int jl_member_scan(const char *text, size_t len, size_t off, const char *key, struct jl_loc *loc);
