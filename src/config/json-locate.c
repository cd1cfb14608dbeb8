/* SPDX-License-Identifier: MIT */
#include "json-locate.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/util.h"

/* A growable byte buffer for decoded keys and paths. */
struct buf {
        char *s;
        size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t extra) {
        if (b->len + extra + 1 <= b->cap)
                return 0;
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->len + extra + 1)
                nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns)
                return -ENOMEM;
        b->s = ns;
        b->cap = nc;
        return 0;
}

static int buf_put(struct buf *b, const char *s, size_t n) {
        if (buf_reserve(b, n) < 0)
                return -ENOMEM;
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
        return 0;
}

static void buf_done(struct buf *b) {
        free(b->s);
        *b = (struct buf){0};
}

struct scan {
        const char *s;
        size_t len, pos;
};

static bool at_end(const struct scan *sc) { return sc->pos >= sc->len; }
static int peek(const struct scan *sc) { return at_end(sc) ? -1 : (unsigned char)sc->s[sc->pos]; }

static bool is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void skip_ws(struct scan *sc) {
        while (!at_end(sc) && is_ws(peek(sc)))
                sc->pos++;
}


/* Reads 4 hex digits at sc->pos; -1 if they are not there. */
static long read_hex4(struct scan *sc) {
        long v = 0;

        if (sc->len - sc->pos < 4)
                return -1;
        for (int i = 0; i < 4; i++) {
                int h = hex_value((unsigned char)sc->s[sc->pos + i]);
                if (h < 0)
                        return -1;
                v = v * 16 + h;
        }
        sc->pos += 4;
        return v;
}

static int put_utf8(struct buf *b, uint32_t cp) {
        char u[4];
        size_t n;

        if (cp < 0x80) {
                u[0] = (char)cp;
                n = 1;
        } else if (cp < 0x800) {
                u[0] = (char)(0xc0 | (cp >> 6));
                u[1] = (char)(0x80 | (cp & 0x3f));
                n = 2;
        } else if (cp < 0x10000) {
                u[0] = (char)(0xe0 | (cp >> 12));
                u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
                u[2] = (char)(0x80 | (cp & 0x3f));
                n = 3;
        } else {
                u[0] = (char)(0xf0 | (cp >> 18));
                u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
                u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
                u[3] = (char)(0x80 | (cp & 0x3f));
                n = 4;
        }
        return buf_put(b, u, n);
}

/* Decodes a \u escape (sc->pos just after "\u"), joining surrogate pairs;
 * a lone surrogate becomes U+FFFD. */
static int decode_u_escape(struct scan *sc, struct buf *out) {
        long cp = read_hex4(sc);

        if (cp < 0)
                return -EINVAL;
        if (cp >= 0xd800 && cp < 0xdc00 && sc->len - sc->pos >= 6 && sc->s[sc->pos] == '\\' &&
            sc->s[sc->pos + 1] == 'u') {
                struct scan look = *sc;
                look.pos += 2;
                long lo = read_hex4(&look);
                if (lo >= 0xdc00 && lo < 0xe000) {
                        sc->pos = look.pos;
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                }
        }
        if (cp >= 0xd800 && cp < 0xe000)
                cp = 0xfffd;
        return out ? put_utf8(out, (uint32_t)cp) : 0;
}

/* sc at an opening quote: moves past the closing quote, appending the
 * decoded string to `out` (if not NULL, after clearing it). */
static int scan_string(struct scan *sc, struct buf *out) {
        static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";

        if (out) {
                out->len = 0;
                if (buf_put(out, "", 0) < 0)
                        return -ENOMEM;
        }
        if (peek(sc) != '"')
                return -EINVAL;
        sc->pos++;
        while (!at_end(sc)) {
                char c = sc->s[sc->pos++];
                int r = 0;

                if (c == '"')
                        return 0;
                if (c != '\\') {
                        if (out)
                                r = buf_put(out, &c, 1);
                } else if (at_end(sc)) {
                        return -EINVAL;
                } else if (sc->s[sc->pos] == 'u') {
                        sc->pos++;
                        r = decode_u_escape(sc, out);
                } else {
                        const char *e = memchr(esc_in, sc->s[sc->pos], sizeof(esc_in) - 1);
                        if (!e)
                                return -EINVAL;
                        sc->pos++;
                        if (out)
                                r = buf_put(out, &esc_out[e - esc_in], 1);
                }
                if (r < 0)
                        return r;
        }
        return -EINVAL;
}

/* Skips one value without recursion, so any nesting depth is safe. */
static int skip_value(struct scan *sc) {
        static const char delim[] = ",:{}[]\" \t\r\n";
        size_t depth = 0, start = sc->pos;
        int c = peek(sc);

        if (c == '"')
                return scan_string(sc, NULL);
        if (c == '{' || c == '[') {
                while (!at_end(sc)) {
                        c = peek(sc);
                        if (c == '"') {
                                int r = scan_string(sc, NULL);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        if (c == '{' || c == '[')
                                depth++;
                        else if ((c == '}' || c == ']') && --depth == 0) {
                                sc->pos++;
                                return 0;
                        }
                        sc->pos++;
                }
                return -EINVAL;
        }
        /* a scalar runs to the next delimiter */
        while (!at_end(sc) && !memchr(delim, sc->s[sc->pos], sizeof(delim) - 1))
                sc->pos++;
        return sc->pos > start ? 0 : -EINVAL;
}

/* Object iteration: call with *first = true right after '{'. Returns 1 with
 * sc at the member's value, 0 after the closing '}', or -EINVAL. */
static int obj_next(struct scan *sc, bool *first, struct buf *key, size_t *key_off,
                    size_t *value_off) {
        int r;

        skip_ws(sc);
        if (peek(sc) == '}') {
                sc->pos++;
                return 0;
        }
        if (!*first) {
                if (peek(sc) != ',')
                        return -EINVAL;
                sc->pos++;
                skip_ws(sc);
        }
        *first = false;
        *key_off = sc->pos;
        r = scan_string(sc, key);
        if (r < 0)
                return r;
        skip_ws(sc);
        if (peek(sc) != ':')
                return -EINVAL;
        sc->pos++;
        skip_ws(sc);
        if (at_end(sc))
                return -EINVAL;
        *value_off = sc->pos;
        return 1;
}

/* Array iteration, as obj_next. */
static int arr_next(struct scan *sc, bool *first, size_t *value_off) {
        skip_ws(sc);
        if (peek(sc) == ']') {
                sc->pos++;
                return 0;
        }
        if (!*first) {
                if (peek(sc) != ',')
                        return -EINVAL;
                sc->pos++;
                skip_ws(sc);
        }
        *first = false;
        if (at_end(sc))
                return -EINVAL;
        *value_off = sc->pos;
        return 1;
}

static bool key_matches(const struct buf *k, const char *want) {
        return k->len == strlen(want) && memcmp(k->s, want, k->len) == 0;
}

/* sc at an object: finds the last member named `want`. */
static int find_member(struct scan *sc, const char *want, struct buf *key, struct jl_loc *loc) {
        bool first = true, found = false;
        size_t koff, voff;
        int r;

        if (peek(sc) != '{')
                return -ENOENT;
        sc->pos++;
        while ((r = obj_next(sc, &first, key, &koff, &voff)) > 0) {
                if (key_matches(key, want)) {
                        *loc = (struct jl_loc){.value_off = voff, .key_off = koff, .has_key = true};
                        found = true;
                }
                r = skip_value(sc);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return found ? 0 : -ENOENT;
}

static int find_element(struct scan *sc, size_t index, struct jl_loc *loc) {
        bool first = true;
        size_t voff;
        int r;

        if (peek(sc) != '[')
                return -ENOENT;
        sc->pos++;
        for (size_t i = 0; (r = arr_next(sc, &first, &voff)) > 0; i++) {
                if (i == index) {
                        *loc = (struct jl_loc){.value_off = voff};
                        return 0;
                }
                r = skip_value(sc);
                if (r < 0)
                        return r;
        }
        return r < 0 ? r : -ENOENT;
}

int jl_locate(const char *text, size_t len, const struct jl_step *steps, size_t n,
              struct jl_loc *loc) {
        struct scan sc = {.s = text, .len = text ? len : 0};
        struct buf key = {0};
        struct jl_loc l;
        int r = 0;

        skip_ws(&sc);
        if (at_end(&sc))
                return -EINVAL;
        l = (struct jl_loc){.value_off = sc.pos};
        for (size_t i = 0; i < n && r == 0; i++) {
                sc.pos = l.value_off;
                r = steps[i].key ? find_member(&sc, steps[i].key, &key, &l)
                                 : find_element(&sc, steps[i].index, &l);
        }
        buf_done(&key);
        if (r == 0)
                *loc = l;
        return r;
}

/* ---- duplicate keys ---- */

struct member {
        char *key;
        size_t keylen, key_off, first_off;
};

/* Where the scan is, as a chain of steps up to the start: the path is
 * spelled out only when a duplicate is reported, so that a long key above
 * a large object is not copied once per member. */
struct seg {
        const struct seg *up;
        const char *key; /* NULL: an array index */
        size_t keylen, index;
};

struct dup_ctx {
        struct scan sc;
        struct buf key;
        bool recursive;
        const char *root; /* the path of the start, "$.selinux" */
        jl_dup_fn fn;
        void *userdata;
};

static int cmp_member_key(const void *a, const void *b) {
        const struct member *x = a, *y = b;
        size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
        int c = memcmp(x->key, y->key, n);

        if (c)
                return c;
        if (x->keylen != y->keylen)
                return x->keylen < y->keylen ? -1 : 1;
        return x->key_off < y->key_off ? -1 : x->key_off > y->key_off;
}

static int cmp_member_off(const void *a, const void *b) {
        const struct member *x = a, *y = b;
        return x->key_off < y->key_off ? -1 : x->key_off > y->key_off;
}

static void members_free(struct member *m, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(m[i].key);
        free(m);
}

static char *seg_path(const char *root, const struct seg *s) {
        char *up, *p;

        if (!s)
                return strdup(root);
        up = seg_path(root, s->up);
        if (!up)
                return NULL;
        p = s->key ? jl_path_key(up, s->key, s->keylen) : jl_path_index(up, s->index);
        free(up);
        return p;
}

/* Sorting by key groups duplicates (n log n, whatever the object's size);
 * they are then reported in text order. */
static int report_duplicates(struct dup_ctx *c, const struct seg *at, struct member *m, size_t n) {
        _cleanup_free_ char *path = NULL;
        bool any = false;
        int r = 0;

        if (n < 2)
                return 0;
        qsort(m, n, sizeof(*m), cmp_member_key);
        for (size_t i = 1; i < n; i++)
                if (m[i].keylen == m[i - 1].keylen && memcmp(m[i].key, m[i - 1].key, m[i].keylen) == 0) {
                        m[i].first_off = m[i - 1].first_off;
                        any = true;
                }
        if (!any)
                return 0;
        qsort(m, n, sizeof(*m), cmp_member_off);
        path = seg_path(c->root, at);
        if (!path)
                return -ENOMEM;
        for (size_t i = 0; i < n && r >= 0; i++) {
                if (m[i].first_off == m[i].key_off)
                        continue;
                _cleanup_free_ char *p = jl_path_key(path, m[i].key, m[i].keylen);
                if (!p)
                        return -ENOMEM;
                r = c->fn(p, m[i].first_off, m[i].key_off, c->userdata);
        }
        return r < 0 ? r : 0;
}

static int dup_value(struct dup_ctx *c, const struct seg *at, unsigned depth);

static int members_add(struct member **m, size_t *n, size_t *cap, const struct buf *key,
                       size_t key_off) {
        if (*n == *cap) {
                size_t nc = *cap ? *cap * 2 : 8;
                struct member *nm = reallocarray(*m, nc, sizeof(**m));
                if (!nm)
                        return -ENOMEM;
                *m = nm;
                *cap = nc;
        }
        char *k = malloc(key->len + 1);
        if (!k)
                return -ENOMEM;
        memcpy(k, key->s, key->len + 1);
        (*m)[(*n)++] = (struct member){
                .key = k, .keylen = key->len, .key_off = key_off, .first_off = key_off};
        return 0;
}

static int dup_object(struct dup_ctx *c, const struct seg *at, unsigned depth) {
        struct member *m = NULL;
        size_t n = 0, cap = 0, koff, voff;
        bool first = true;
        int r;

        c->sc.pos++; /* '{' */
        while ((r = obj_next(&c->sc, &first, &c->key, &koff, &voff)) > 0) {
                r = members_add(&m, &n, &cap, &c->key, koff);
                if (r < 0)
                        break;
                if (c->recursive) {
                        /* the key's copy in m[] outlives the descent */
                        const struct seg s = {.up = at, .key = m[n - 1].key, .keylen = m[n - 1].keylen};
                        r = dup_value(c, &s, depth + 1);
                } else {
                        r = skip_value(&c->sc);
                }
                if (r < 0)
                        break;
        }
        if (r == 0)
                r = report_duplicates(c, at, m, n);
        members_free(m, n);
        return r;
}

static int dup_array(struct dup_ctx *c, const struct seg *at, unsigned depth) {
        bool first = true;
        size_t voff;
        int r;

        c->sc.pos++; /* '[' */
        for (size_t i = 0; (r = arr_next(&c->sc, &first, &voff)) > 0; i++) {
                const struct seg s = {.up = at, .index = i};
                r = dup_value(c, &s, depth + 1);
                if (r < 0)
                        break;
        }
        return r;
}

static int dup_value(struct dup_ctx *c, const struct seg *at, unsigned depth) {
        int ch = peek(&c->sc);

        if (depth >= JL_MAX_DEPTH || (ch != '{' && ch != '['))
                return skip_value(&c->sc);
        return ch == '{' ? dup_object(c, at, depth) : dup_array(c, at, depth);
}

static char *path_of(const struct jl_step *steps, size_t n) {
        char *p = strdup("$");

        for (size_t i = 0; i < n && p; i++) {
                char *q = steps[i].key ? jl_path_key(p, steps[i].key, strlen(steps[i].key))
                                       : jl_path_index(p, steps[i].index);
                free(p);
                p = q;
        }
        return p;
}

int jl_find_duplicates(const char *text, size_t len, const struct jl_step *steps, size_t n,
                       bool recursive, jl_dup_fn fn, void *userdata) {
        struct dup_ctx c = {.sc = {.s = text, .len = text ? len : 0},
                            .recursive = recursive,
                            .fn = fn,
                            .userdata = userdata};
        _cleanup_free_ char *root = NULL;
        struct jl_loc loc;
        int r;

        r = jl_locate(text, len, steps, n, &loc);
        if (r < 0)
                return r;
        root = path_of(steps, n);
        if (!root)
                return -ENOMEM;
        c.root = root;
        c.sc.pos = loc.value_off;
        if (peek(&c.sc) == '{')
                r = dup_object(&c, NULL, 0);
        else if (recursive && peek(&c.sc) == '[')
                r = dup_array(&c, NULL, 0);
        buf_done(&c.key);
        return r;
}

/* ---- strict syntax ---- */

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if
 * invalid: overlong forms, surrogates and values above U+10FFFF are. */
size_t jl_utf8_invalid_at(const char *text, size_t len) {
        size_t i = 0, l;

        while (i < len && (l = utf8_seq_len((const unsigned char *)text + i, len - i)) > 0)
                i += l;
        return i < len ? i : len;
}

static const char *strict_string(struct scan *sc) {
        sc->pos++; /* opening quote */
        while (!at_end(sc)) {
                unsigned char c = (unsigned char)sc->s[sc->pos];

                if (c == '"') {
                        sc->pos++;
                        return NULL;
                }
                if (c < 0x20)
                        return "control character in string, must be escaped";
                if (c == '\\') {
                        sc->pos++;
                        int e = peek(sc);
                        if (e < 0)
                                break;
                        if (e == 'u') {
                                sc->pos++;
                                if (read_hex4(sc) < 0)
                                        return "invalid \\u escape in string";
                                continue;
                        }
                        if (e == 0 || !strchr("\"\\/bfnrt", e))
                                return "invalid escape in string";
                        sc->pos++;
                        continue;
                }
                size_t l = utf8_seq_len((const unsigned char *)sc->s + sc->pos, sc->len - sc->pos);
                if (l == 0)
                        return "invalid UTF-8 in string";
                sc->pos += l;
        }
        return "unexpected end of data";
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static const char *check_number(struct scan *sc) {
        if (peek(sc) == '-')
                sc->pos++;
        if (peek(sc) == '0') {
                sc->pos++;
                if (is_digit(peek(sc)))
                        return "leading zeros are not JSON";
        } else if (is_digit(peek(sc)))
                while (is_digit(peek(sc)))
                        sc->pos++;
        else
                return at_end(sc) ? "unexpected end of data" : "invalid number";
        if (peek(sc) == '.') {
                sc->pos++;
                if (!is_digit(peek(sc)))
                        return "invalid number";
                while (is_digit(peek(sc)))
                        sc->pos++;
        }
        if (peek(sc) == 'e' || peek(sc) == 'E') {
                sc->pos++;
                if (peek(sc) == '+' || peek(sc) == '-')
                        sc->pos++;
                if (!is_digit(peek(sc)))
                        return "invalid number";
                while (is_digit(peek(sc)))
                        sc->pos++;
        }
        return NULL;
}

static const char *check_literal(struct scan *sc) {
        static const char *const lits[] = {"true", "false", "null"};
        size_t best = 0;

        for (size_t i = 0; i < ELEMENTSOF(lits); i++) {
                size_t l = strlen(lits[i]), k = 0;
                while (k < l && sc->pos + k < sc->len && sc->s[sc->pos + k] == lits[i][k])
                        k++;
                if (k == l) {
                        sc->pos += l;
                        return NULL;
                }
                if (k > best)
                        best = k;
        }
        /* at the first byte that departs from it: "tru}" at the '}' */
        sc->pos += best;
        return sc->pos < sc->len ? "invalid literal (not true, false or null)" : "unexpected end of data";
}

static const char *check_scalar(struct scan *sc) {
        int c = peek(sc);

        if (c < 0)
                return "unexpected end of data";
        if (c == '"')
                return strict_string(sc);
        if (c == '-' || is_digit(c))
                return check_number(sc);
        if (c == '\'')
                return "single-quoted strings are not JSON";
        if (c >= 'a' && c <= 'z')
                return check_literal(sc);
        if (c == 'N' || c == 'I')
                return "NaN and Infinity are not JSON";
        return "unexpected character";
}

int jl_check_syntax(const char *text, size_t len, size_t *err_off, const char **err_msg) {
        struct scan sc = {.s = text, .len = text ? len : 0};
        char stack[JL_MAX_DEPTH];
        size_t depth = 0;
        enum { VALUE, KEY, AFTER } st = VALUE;
        const char *msg = NULL;

        for (;;) {
                skip_ws(&sc);
                int c = peek(&sc);
                if (st == VALUE && (c == '{' || c == '[')) {
                        if (depth == sizeof(stack)) {
                                msg = "nesting too deep";
                                break;
                        }
                        stack[depth++] = (char)c;
                        sc.pos++;
                        skip_ws(&sc);
                        if (peek(&sc) == (c == '{' ? '}' : ']')) {
                                sc.pos++;
                                depth--;
                                st = AFTER;
                        } else {
                                st = c == '{' ? KEY : VALUE;
                        }
                } else if (st == VALUE) {
                        msg = check_scalar(&sc);
                        if (msg)
                                break;
                        st = AFTER;
                } else if (st == KEY) {
                        if (c != '"') {
                                msg = c == '\'' ? "single-quoted strings are not JSON"
                                      : c < 0   ? "unexpected end of data"
                                                : "expected a quoted key";
                                break;
                        }
                        msg = strict_string(&sc);
                        if (msg)
                                break;
                        skip_ws(&sc);
                        if (peek(&sc) != ':') {
                                msg = at_end(&sc) ? "unexpected end of data" : "expected ':'";
                                break;
                        }
                        sc.pos++;
                        st = VALUE;
                } else if (depth == 0) {
                        if (!at_end(&sc))
                                msg = "unexpected characters after the value";
                        break;
                } else if (c == ',') {
                        sc.pos++;
                        st = stack[depth - 1] == '{' ? KEY : VALUE;
                } else if (c == (stack[depth - 1] == '{' ? '}' : ']')) {
                        sc.pos++;
                        depth--;
                } else {
                        msg = c < 0 ? "unexpected end of data" : "unexpected character";
                        break;
                }
        }
        if (!msg)
                return 0;
        if (err_off)
                *err_off = sc.pos;
        if (err_msg)
                *err_msg = msg;
        return -EINVAL;
}

/* ---- paths, positions, rendering ---- */

static bool is_identifier(const char *k, size_t n) {
        if (n == 0 || !((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z') || k[0] == '_'))
                return false;
        for (size_t i = 1; i < n; i++)
                if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
                      (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
                        return false;
        return true;
}

char *jl_path_key(const char *parent, const char *key, size_t keylen) {
        char *p = NULL;
        int r;

        if (!parent)
                parent = "$";
        if (keylen <= JL_PATH_KEY_MAX_CHARS && is_identifier(key, keylen)) {
                r = asprintf(&p, "%s.%.*s", parent, (int)keylen, key);
        } else {
                /* Cut like any string in a message: a path names the key
                 * well enough by its first characters, and a megabyte key
                 * repeated in every message below it would make the
                 * messages grow with the square of the input. */
                char q[JL_PATH_KEY_MAX_CHARS * 6 + 16];
                diag_quote(q, sizeof(q), key, keylen, JL_PATH_KEY_MAX_CHARS);
                r = asprintf(&p, "%s[%s]", parent, q);
        }
        return r < 0 ? NULL : p;
}

char *jl_path_index(const char *parent, size_t index) {
        char *p;
        return asprintf(&p, "%s[%zu]", parent ? parent : "$", index) < 0 ? NULL : p;
}

void jl_line_col(const char *text, size_t len, size_t off, unsigned *line, unsigned *col) {
        unsigned l = 1, c = 1;

        if (!text)
                off = 0;
        if (off > len)
                off = len;
        for (size_t i = 0; i < off; i++) {
                unsigned char ch = (unsigned char)text[i];
                if (ch == '\n') {
                        l++;
                        c = 1;
                } else if ((ch & 0xc0) != 0x80) {
                        c++;
                }
        }
        *line = l;
        *col = c;
}

/* Appends n bytes unless that would leave no room for the `"...` tail. */
/* ---- a document ---- */

/* The index of one container. */
struct table {
        size_t off;
        int error;              /* cached failure: -ENOENT (not this kind), -EINVAL */
        bool object;
        struct jl_member *m;    /* objects, in text order */
        size_t *sorted;         /* objects: indexes into m, by key then offset */
        size_t *elems;          /* arrays: value offsets */
        size_t n;
        char *keys;             /* the decoded keys, one after the other */
};

struct jl_doc {
        const char *text;
        size_t len;
        struct table **slots; /* open addressing by container offset */
        size_t cap, count;
        uint32_t *cp_line, *cp_col; /* line and column at every JL_DOC_STRIDE bytes */
        size_t n_cp;
        bool lines_built, lines_failed;
};

int jl_doc_new(const char *text, size_t len, struct jl_doc **out) {
        struct jl_doc *d = calloc(1, sizeof(*d));

        if (!d)
                return -ENOMEM;
        d->text = text;
        d->len = text ? len : 0;
        *out = d;
        return 0;
}

static void table_free(struct table *t) {
        if (!t)
                return;
        free(t->m);
        free(t->sorted);
        free(t->elems);
        free(t->keys);
        free(t);
}

void jl_doc_free(struct jl_doc *d) {
        if (!d)
                return;
        for (size_t i = 0; i < d->cap; i++)
                table_free(d->slots[i]);
        free(d->slots);
        free(d->cp_line);
        free(d->cp_col);
        free(d);
}

const char *jl_doc_text(const struct jl_doc *d) { return d->text; }
size_t jl_doc_len(const struct jl_doc *d) { return d->len; }

static size_t slot_of(size_t off, size_t cap) {
        uint64_t h = (uint64_t)off * UINT64_C(0x9e3779b97f4a7c15);
        return (size_t)(h >> 32) & (cap - 1);
}

static int doc_insert(struct jl_doc *d, struct table *t) {
        if ((d->count + 1) * 2 > d->cap) {
                size_t nc = d->cap ? d->cap * 2 : 16;
                struct table **ns = calloc(nc, sizeof(*ns));
                if (!ns)
                        return -ENOMEM;
                for (size_t i = 0; i < d->cap; i++) {
                        if (!d->slots[i])
                                continue;
                        size_t j = slot_of(d->slots[i]->off, nc);
                        while (ns[j])
                                j = (j + 1) & (nc - 1);
                        ns[j] = d->slots[i];
                }
                free(d->slots);
                d->slots = ns;
                d->cap = nc;
        }
        size_t j = slot_of(t->off, d->cap);
        while (d->slots[j])
                j = (j + 1) & (d->cap - 1);
        d->slots[j] = t;
        d->count++;
        return 0;
}

static struct table *doc_find(const struct jl_doc *d, size_t off) {
        if (!d->cap)
                return NULL;
        for (size_t j = slot_of(off, d->cap); d->slots[j]; j = (j + 1) & (d->cap - 1))
                if (d->slots[j]->off == off)
                        return d->slots[j];
        return NULL;
}

static int cmp_keys(const char *a, size_t alen, const char *b, size_t blen) {
        int c = memcmp(a, b, alen < blen ? alen : blen);
        if (c)
                return c;
        return alen < blen ? -1 : alen > blen;
}

/* qsort_r is a GNU extension; the members array is passed through it. */
static int cmp_sorted(const void *a, const void *b, void *arg) {
        const struct jl_member *m = arg, *x = &m[*(const size_t *)a], *y = &m[*(const size_t *)b];
        int c = cmp_keys(x->key, x->keylen, y->key, y->keylen);

        if (c)
                return c;
        return x->key_off < y->key_off ? -1 : x->key_off > y->key_off;
}

static int build_object(const char *text, size_t len, struct table *t) {
        struct scan sc = {.s = text, .len = len, .pos = t->off + 1};
        struct buf key = {0}, arena = {0};
        size_t *key_at = NULL, cap = 0, koff, voff;
        bool first = true;
        int r;

        while ((r = obj_next(&sc, &first, &key, &koff, &voff)) > 0) {
                if (t->n == cap) {
                        size_t nc = cap ? cap * 2 : 8;
                        struct jl_member *nm = reallocarray(t->m, nc, sizeof(*nm));
                        size_t *nk = nm ? reallocarray(key_at, nc, sizeof(*nk)) : NULL;
                        if (nm)
                                t->m = nm;
                        if (!nk) {
                                r = -ENOMEM;
                                break;
                        }
                        key_at = nk;
                        cap = nc;
                }
                key_at[t->n] = arena.len;
                /* the NUL buf_put() leaves ends each key in the arena */
                r = buf_put(&arena, key.s, key.len);
                if (r < 0)
                        break;
                arena.len++;
                t->m[t->n++] = (struct jl_member){.keylen = key.len, .key_off = koff, .value_off = voff, .last = true};
                r = skip_value(&sc);
                if (r < 0)
                        break;
        }
        buf_done(&key);
        if (r == 0 && t->n) {
                t->sorted = malloc(t->n * sizeof(*t->sorted));
                if (!t->sorted)
                        r = -ENOMEM;
        }
        if (r < 0) {
                free(key_at);
                buf_done(&arena);
                return r;
        }
        t->keys = arena.s;
        for (size_t i = 0; i < t->n; i++) {
                t->m[i].key = t->keys + key_at[i];
                t->sorted[i] = i;
        }
        free(key_at);
        if (t->n)
                qsort_r(t->sorted, t->n, sizeof(*t->sorted), cmp_sorted, t->m);
        for (size_t i = 1; i < t->n; i++) {
                struct jl_member *a = &t->m[t->sorted[i - 1]], *b = &t->m[t->sorted[i]];
                if (cmp_keys(a->key, a->keylen, b->key, b->keylen) == 0)
                        a->last = false;
        }
        return 0;
}

static int build_array(const char *text, size_t len, struct table *t) {
        struct scan sc = {.s = text, .len = len, .pos = t->off + 1};
        bool first = true;
        size_t cap = 0, voff;
        int r;

        while ((r = arr_next(&sc, &first, &voff)) > 0) {
                if (GROW_FOR(t->elems, t->n, cap, 8) < 0)
                        return -ENOMEM;
                t->elems[t->n++] = voff;
                r = skip_value(&sc);
                if (r < 0)
                        break;
        }
        return r;
}

/* The table of the container at `off`, built on first use. */
static int doc_table(struct jl_doc *d, size_t off, bool object, struct table **out) {
        struct table *t = doc_find(d, off);
        int r;

        if (!t) {
                t = calloc(1, sizeof(*t));
                if (!t)
                        return -ENOMEM;
                t->off = off;
                if (off >= d->len || (d->text[off] != '{' && d->text[off] != '['))
                        t->error = -ENOENT;
                else {
                        t->object = d->text[off] == '{';
                        r = t->object ? build_object(d->text, d->len, t) : build_array(d->text, d->len, t);
                        if (r == -ENOMEM) {
                                table_free(t);
                                return r;
                        }
                        if (r < 0) {
                                /* a malformed container is remembered as such */
                                struct table bad = {.off = off, .error = r};
                                free(t->m);
                                free(t->sorted);
                                free(t->elems);
                                free(t->keys);
                                *t = bad;
                        }
                }
                r = doc_insert(d, t);
                if (r < 0) {
                        table_free(t);
                        return r;
                }
        }
        if (t->error)
                return t->error;
        if (t->object != object)
                return -ENOENT;
        *out = t;
        return 0;
}

int jl_doc_members(struct jl_doc *d, size_t off, const struct jl_member **m, size_t *n) {
        struct table *t;
        int r = doc_table(d, off, true, &t);

        if (r < 0)
                return r;
        *m = t->m;
        *n = t->n;
        return 0;
}

int jl_doc_elements(struct jl_doc *d, size_t off, const size_t **offs, size_t *n) {
        struct table *t;
        int r = doc_table(d, off, false, &t);

        if (r < 0)
                return r;
        *offs = t->elems;
        *n = t->n;
        return 0;
}

int jl_doc_member(struct jl_doc *d, size_t off, const char *key, struct jl_loc *loc) {
        size_t lo = 0, hi, klen = strlen(key);
        struct table *t;
        int r = doc_table(d, off, true, &t);

        if (r < 0)
                return r;
        /* the first sorted entry greater than key; the one before it is
         * the last in text order of those equal to it */
        hi = t->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                const struct jl_member *x = &t->m[t->sorted[mid]];
                if (cmp_keys(x->key, x->keylen, key, klen) <= 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == 0)
                return -ENOENT;
        const struct jl_member *x = &t->m[t->sorted[lo - 1]];
        if (cmp_keys(x->key, x->keylen, key, klen) != 0)
                return -ENOENT;
        *loc = (struct jl_loc){.value_off = x->value_off, .key_off = x->key_off, .has_key = true};
        return 0;
}

int jl_doc_locate(struct jl_doc *d, const struct jl_step *steps, size_t n, struct jl_loc *loc) {
        struct scan sc = {.s = d->text, .len = d->len};
        struct jl_loc l;
        int r = 0;

        skip_ws(&sc);
        if (at_end(&sc))
                return -EINVAL;
        l = (struct jl_loc){.value_off = sc.pos};
        for (size_t i = 0; i < n && r == 0; i++) {
                if (steps[i].key) {
                        r = jl_doc_member(d, l.value_off, steps[i].key, &l);
                } else {
                        const size_t *e;
                        size_t ne;
                        r = jl_doc_elements(d, l.value_off, &e, &ne);
                        if (r == 0 && steps[i].index >= ne)
                                r = -ENOENT;
                        if (r == 0)
                                l = (struct jl_loc){.value_off = e[steps[i].index]};
                }
        }
        if (r == 0)
                *loc = l;
        return r;
}

static void build_lines(struct jl_doc *d) {
        size_t n = d->len / JL_DOC_STRIDE + 1;
        unsigned l = 1, c = 1;

        d->lines_built = true;
        d->cp_line = malloc(n * sizeof(*d->cp_line));
        d->cp_col = malloc(n * sizeof(*d->cp_col));
        if (!d->cp_line || !d->cp_col) {
                /* positions still come out right, only slower */
                d->lines_failed = true;
                return;
        }
        for (size_t i = 0; i < d->len; i++) {
                if (i % JL_DOC_STRIDE == 0) {
                        d->cp_line[i / JL_DOC_STRIDE] = l;
                        d->cp_col[i / JL_DOC_STRIDE] = c;
                }
                unsigned char ch = (unsigned char)d->text[i];
                if (ch == '\n') {
                        l++;
                        c = 1;
                } else if ((ch & 0xc0) != 0x80) {
                        c++;
                }
        }
        if (d->len % JL_DOC_STRIDE == 0) {
                d->cp_line[n - 1] = l;
                d->cp_col[n - 1] = c;
        }
        d->n_cp = n;
}

void jl_doc_line_col(struct jl_doc *d, size_t off, unsigned *line, unsigned *col) {
        unsigned l, c;
        size_t i;

        if (off > d->len)
                off = d->len;
        if (!d->lines_built)
                build_lines(d);
        if (d->lines_failed) {
                jl_line_col(d->text, d->len, off, line, col);
                return;
        }
        i = off / JL_DOC_STRIDE * JL_DOC_STRIDE;
        l = d->cp_line[off / JL_DOC_STRIDE];
        c = d->cp_col[off / JL_DOC_STRIDE];
        for (; i < off; i++) {
                unsigned char ch = (unsigned char)d->text[i];
                if (ch == '\n') {
                        l++;
                        c = 1;
                } else if ((ch & 0xc0) != 0x80) {
                        c++;
                }
        }
        *line = l;
        *col = c;
}

int jl_string_at(const char *text, size_t len, size_t off, char **out, size_t *outlen) {
        struct scan sc = {.s = text, .len = text ? len : 0, .pos = off};
        struct buf b = {0};
        int r;

        if (peek(&sc) != '"')
                return -EINVAL;
        r = scan_string(&sc, &b);
        if (r < 0) {
                buf_done(&b);
                return r;
        }
        *outlen = b.len;
        *out = b.s;
        return 0;
}

int jl_value_end(const char *text, size_t len, size_t off, size_t *end) {
        struct scan sc = {.s = text, .len = text ? len : 0, .pos = off};
        int r;

        if (at_end(&sc))
                return -EINVAL;
        r = skip_value(&sc);
        if (r < 0)
                return r;
        *end = sc.pos;
        return 0;
}

int jl_count_values(const char *text, size_t len, size_t off, size_t *values, size_t *containers) {
        struct scan sc = {.s = text, .len = text ? len : 0, .pos = off};
        size_t end, v = 0, k = 0;
        int r = jl_value_end(text, len, off, &end);

        if (r < 0)
                return r;
        while (sc.pos < end) {
                int c = peek(&sc);
                if (c == '"') {
                        r = scan_string(&sc, NULL);
                        if (r < 0)
                                return r;
                        /* a key is not a value */
                        skip_ws(&sc);
                        if (peek(&sc) != ':')
                                v++;
                } else if (c == '{' || c == '[') {
                        v++;
                        k++;
                        sc.pos++;
                } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
                        v++;
                        r = skip_value(&sc);
                        if (r < 0)
                                return r;
                } else {
                        sc.pos++;
                }
        }
        *values = v;
        *containers = k;
        return 0;
}

int jl_member_scan(const char *text, size_t len, size_t off, const char *key, struct jl_loc *loc) {
        struct scan sc = {.s = text, .len = text ? len : 0, .pos = off};
        struct buf k = {0};
        int r = find_member(&sc, key, &k, loc);

        buf_done(&k);
        return r;
}
