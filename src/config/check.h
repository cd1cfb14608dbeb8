/* SPDX-License-Identifier: MIT */
/* What the checks of one input share (block.c, modules.c): problems
 * collected at byte offsets and reported in text order as
 * "NAME:LINE:COL: $.path: expected ..., got ...", and how values are shown
 * in them. Private to config/. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "json-locate.h"
#include "lib/diag.h"

/* Strings in messages are cut after this many characters. */
#define GOT_MAX_CHARS QUOTED_MAX_CHARS
#define GOT_SIZE (GOT_MAX_CHARS * 6 + 64)

/* Problems kept per input: beyond them only a count. A hostile input
 * of a few bytes per problem would otherwise cost a hundred bytes of
 * message each, and a screenful of them says what is wrong as well. */
#define CHECK_MAX_PROBLEMS 1000

struct check_problem {
        size_t off, seq;
        char *msg;
};

/* One input being checked. */
struct check {
        const char *name, *text;
        size_t len;
        enum config_kind kind;
        struct jl_doc *doc; /* positions (the caller's) */
        struct check_problem *p;
        size_t n, cap;
        size_t dropped; /* problems beyond CHECK_MAX_PROBLEMS */
        int error; /* sticky -ENOMEM */
};

/* Whether any problem was recorded (kept or counted). */
static inline size_t check_count(const struct check *c) { return c->n + c->dropped; }

/* Records "msg" at byte `off` of the text. */
void check_problem(struct check *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Moves the problems, in text order, into `d` as "NAME:LINE:COL: msg"
 * (and one line counting those beyond CHECK_MAX_PROBLEMS); returns -EINVAL
 * if there were any, -ENOMEM, or 0. */
int check_flush(struct check *c, struct diags *d);

/* Offset of the key (if want_key and there is one) or value at the path;
 * falls back to the nearest ancestor that can be found. */
size_t check_pos(const struct check *c, const struct jl_step *steps, size_t n, bool want_key);

/* "NAME:LINE:COL" of byte `off`, malloc'd; NULL on ENOMEM. */
char *check_origin(const struct check *c, size_t off);

/* "string \"yes\"", "number 3", "array"...; with bare_string a string is
 * shown as just its quoted value. */
void check_describe(const struct check *c, struct json_object *v, size_t off, bool bare_string, char *out,
                    size_t size);

/* As check_describe(), for the value at `off` of the text itself (what
 * json-c was not given). */
void check_describe_at(const struct check *c, size_t off, bool bare_string, char *out, size_t size);

/* Records "WHAT, got <v as check_describe() shows it>" at byte `off`; WHAT
 * is printf-formatted ("$.selinux.mode: expected ..."). */
void check_problem_got(struct check *c, struct json_object *v, size_t off, bool bare_string, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* A string's C value, or NULL if it is not a string or holds a NUL. */
const char *check_string(struct json_object *v);

/* " (did you mean \"HINT\"?)", or "" without a hint. */
void check_hint(char *out, size_t size, const char *hint);
