/* SPDX-License-Identifier: MIT */
#include "check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/util.h"

void check_problem(struct check *c, size_t off, const char *fmt, ...) {
        va_list ap;
        char *msg;
        int r;

        if (c->n >= CHECK_MAX_PROBLEMS) {
                c->dropped++;
                return;
        }
        if (c->n == c->cap) {
                size_t nc = c->cap ? c->cap * 2 : 8;
                struct check_problem *np = reallocarray(c->p, nc, sizeof(*np));
                if (!np) {
                        c->error = -ENOMEM;
                        return;
                }
                c->p = np;
                c->cap = nc;
        }
        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                c->error = -ENOMEM;
                return;
        }
        c->p[c->n] = (struct check_problem){.off = off, .seq = c->n, .msg = msg};
        c->n++;
}

static int cmp_problem(const void *a, const void *b) {
        const struct check_problem *x = a, *y = b;
        if (x->off != y->off)
                return x->off < y->off ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves the problems into `d`; returns -EINVAL if there were any. */
int check_flush(struct check *c, struct diags *d) {
        int r = c->error;

        if (c->n)
                qsort(c->p, c->n, sizeof(*c->p), cmp_problem);
        for (size_t i = 0; i < c->n; i++) {
                unsigned line, col;
                jl_doc_line_col(c->doc, c->p[i].off, &line, &col);
                if (r == 0 && diags_add(d, DIAG_ERROR, "%s:%u:%u: %s", c->name, line, col,
                                        c->p[i].msg) < 0)
                        r = -ENOMEM;
                free(c->p[i].msg);
        }
        free(c->p);
        if (r == 0 && c->dropped &&
            diags_add(d, DIAG_ERROR, "%s: %zu more problems not shown", c->name, c->dropped) < 0)
                r = -ENOMEM;
        if (r == 0 && (c->n || c->dropped))
                r = -EINVAL;
        c->p = NULL;
        c->n = c->cap = c->dropped = 0;
        return r;
}

/* Offset of the key (if want_key and there is one) or value at the path;
 * falls back to the nearest ancestor that can be found. */
size_t check_pos(const struct check *c, const struct jl_step *steps, size_t n, bool want_key) {
        struct jl_loc loc;

        for (size_t k = n + 1; k-- > 0;)
                if (jl_doc_locate(c->doc, steps, k, &loc) == 0)
                        return want_key && loc.has_key && k == n ? loc.key_off : loc.value_off;
        return 0;
}

char *check_origin(const struct check *c, size_t off) {
        unsigned line, col;
        char *s;

        jl_doc_line_col(c->doc, off, &line, &col);
        return asprintf(&s, "%s:%u:%u", c->name, line, col) < 0 ? NULL : s;
}

/* The number as written: json-c would print 1e5 as 100000. */
static void number_text(const struct check *c, size_t off, char *out, size_t size) {
        size_t n = 0;

        while (off + n < c->len && n < 32 && strchr("+-.eE0123456789", c->text[off + n]) &&
               c->text[off + n] != '\0')
                n++;
        snprintf(out, size, "%.*s", (int)n, c->text + off);
}

/* "string \"yes\"", "number 3", "array"...; with bare_string a string is
 * shown as just its quoted value. */
void check_describe(const struct check *c, struct json_object *v, size_t off, bool bare_string,
                     char *out, size_t size) {
        char s[GOT_MAX_CHARS * 6 + 16], num[40];

        switch (json_object_get_type(v)) {
        case json_type_null:
                snprintf(out, size, "null");
                break;
        case json_type_boolean:
                snprintf(out, size, "boolean %s", json_object_get_boolean(v) ? "true" : "false");
                break;
        case json_type_int:
        case json_type_double:
                number_text(c, off, num, sizeof(num));
                snprintf(out, size, "number %s", num);
                break;
        case json_type_string:
                diag_quote(s, sizeof(s), json_object_get_string(v),
                                 (size_t)json_object_get_string_len(v), GOT_MAX_CHARS);
                snprintf(out, size, "%s%s", bare_string ? "" : "string ", s);
                break;
        case json_type_array:
                snprintf(out, size, "array");
                break;
        case json_type_object:
                snprintf(out, size, "object");
                break;
        }
}

void check_describe_at(const struct check *c, size_t off, bool bare_string, char *out, size_t size) {
        char s[GOT_MAX_CHARS * 6 + 16], num[40];
        _cleanup_free_ char *str = NULL;
        size_t len;

        switch (off < c->len ? c->text[off] : 0) {
        case '{':
                snprintf(out, size, "object");
                break;
        case '[':
                snprintf(out, size, "array");
                break;
        case '"':
                if (jl_string_at(c->text, c->len, off, &str, &len) < 0) {
                        snprintf(out, size, "string");
                        break;
                }
                diag_quote(s, sizeof(s), str, len, GOT_MAX_CHARS);
                snprintf(out, size, "%s%s", bare_string ? "" : "string ", s);
                break;
        case 't':
                snprintf(out, size, "boolean true");
                break;
        case 'f':
                snprintf(out, size, "boolean false");
                break;
        case 'n':
                snprintf(out, size, "null");
                break;
        default:
                number_text(c, off, num, sizeof(num));
                snprintf(out, size, "number %s", num);
                break;
        }
}

void check_problem_got(struct check *c, struct json_object *v, size_t off, bool bare_string, const char *fmt, ...) {
        _cleanup_free_ char *what = NULL;
        char got[GOT_SIZE];
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (r < 0) {
                what = NULL;
                c->error = -ENOMEM;
                return;
        }
        check_describe(c, v, off, bare_string, got, sizeof(got));
        check_problem(c, off, "%s, got %s", what, got);
}

/* A string's C value, or NULL if it is not a string or holds a NUL. */
const char *check_string(struct json_object *v) {
        const char *s;

        if (!json_object_is_type(v, json_type_string))
                return NULL;
        s = json_object_get_string(v);
        return strlen(s) == (size_t)json_object_get_string_len(v) ? s : NULL;
}

void check_hint(char *out, size_t size, const char *hint) {
        if (hint)
                snprintf(out, size, " (did you mean \"%s\"?)", hint);
        else
                out[0] = '\0';
}

