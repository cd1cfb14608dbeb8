/* SPDX-License-Identifier: MIT */
/* The semantic checks of config_parse(), shared by the files that check one
 * part of the block each (config.c, config-modules.c). Not an API. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "json-locate.h"

/* Strings in messages are cut after this many characters. */
#define GOT_MAX_CHARS 40
#define GOT_SIZE (GOT_MAX_CHARS * 6 + 64)

struct problem {
        size_t off, seq;
        char *msg;
};

/* Semantic problems are collected, then reported in text order. */
struct ctx {
        const char *name, *text;
        size_t len;
        enum config_kind kind;
        struct problem *p;
        size_t n, cap;
        int error; /* sticky -ENOMEM */
};

/* Records "msg" at byte `off` of the text. */
void problem(struct ctx *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Offset of the key (if want_key and there is one) or value at the path;
 * falls back to the nearest ancestor that can be found. */
size_t pos_of(const struct ctx *c, const struct jl_step *steps, size_t n, bool want_key);

/* "NAME:LINE:COL" of byte `off`, malloc'd; NULL on ENOMEM. */
char *origin_at(const struct ctx *c, size_t off);

/* "string \"yes\"", "number 3", "array"...; with bare_string a string is
 * shown as just its quoted value. */
void describe(const struct ctx *c, struct json_object *v, size_t off, bool bare_string, char *out,
              size_t size);

/* Records "WHAT, got <v as describe() shows it>" at byte `off`; WHAT is
 * printf-formatted ("$.selinux.mode: expected ..."). */
void problem_got(struct ctx *c, struct json_object *v, size_t off, bool bare_string, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* A string's C value, or NULL if it is not a string or holds a NUL. */
const char *plain_string(struct json_object *v);

/* " (did you mean \"HINT\"?)", or "" without a hint. */
void hint_suffix(char *out, size_t size, const char *hint);

/* The "modules" and "permissiveDomains" keys (config-modules.c). */
void check_modules(struct ctx *c, struct json_object *v, struct se_config *tmp);
void check_permissive(struct ctx *c, struct json_object *v, struct se_config *tmp);
/* Moves tmp's modules and permissive domains into cfg (later wins: a module
 * by name, the permissive list as a whole). Returns 0 or -ENOMEM, in which
 * case cfg is unchanged. */
int merge_modules(struct se_config *cfg, struct se_config *tmp);
void modules_free(struct se_module *m, size_t n);
void permissive_free(char **p, size_t n);
