/* SPDX-License-Identifier: MIT */
#include "json-locate.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct dup_ctx {
        struct scan sc;
        struct buf key;
        bool recursive;
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

/* Sorting by key groups duplicates (n log n, whatever the object's size);
 * they are then reported in text order. */
static int report_duplicates(struct dup_ctx *c, const char *path, struct member *m, size_t n) {
        int r = 0;

        if (n < 2)
                return 0;
        qsort(m, n, sizeof(*m), cmp_member_key);
        for (size_t i = 1; i < n; i++)
                if (m[i].keylen == m[i - 1].keylen && memcmp(m[i].key, m[i - 1].key, m[i].keylen) == 0)
                        m[i].first_off = m[i - 1].first_off;
        qsort(m, n, sizeof(*m), cmp_member_off);
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

static int dup_value(struct dup_ctx *c, const char *path, unsigned depth);

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

static int dup_object(struct dup_ctx *c, const char *path, unsigned depth) {
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
                        _cleanup_free_ char *p = jl_path_key(path, c->key.s, c->key.len);
                        r = p ? dup_value(c, p, depth + 1) : -ENOMEM;
                } else {
                        r = skip_value(&c->sc);
                }
                if (r < 0)
                        break;
        }
        if (r == 0)
                r = report_duplicates(c, path, m, n);
        members_free(m, n);
        return r;
}

static int dup_array(struct dup_ctx *c, const char *path, unsigned depth) {
        bool first = true;
        size_t voff;
        int r;

        c->sc.pos++; /* '[' */
        for (size_t i = 0; (r = arr_next(&c->sc, &first, &voff)) > 0; i++) {
                _cleanup_free_ char *p = jl_path_index(path, i);
                r = p ? dup_value(c, p, depth + 1) : -ENOMEM;
                if (r < 0)
                        break;
        }
        return r;
}

static int dup_value(struct dup_ctx *c, const char *path, unsigned depth) {
        int ch = peek(&c->sc);

        if (depth >= JL_MAX_DEPTH || (ch != '{' && ch != '['))
                return skip_value(&c->sc);
        return ch == '{' ? dup_object(c, path, depth) : dup_array(c, path, depth);
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
        c.sc.pos = loc.value_off;
        if (peek(&c.sc) == '{')
                r = dup_object(&c, root, 0);
        else if (recursive && peek(&c.sc) == '[')
                r = dup_array(&c, root, 0);
        buf_done(&c.key);
        return r;
}

/* ---- strict syntax ---- */

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if
 * invalid: overlong forms, surrogates and values above U+10FFFF are. */
static size_t utf8_len(const unsigned char *s, size_t n) {
        uint32_t cp;
        size_t l;

        if (n == 0)
                return 0;
        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                l = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                l = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                l = 4, cp = s[0] & 0x07;
        else
                return 0;
        if (n < l)
                return 0;
        for (size_t i = 1; i < l; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((l == 3 && cp < 0x800) || (l == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp < 0xe000))
                return 0;
        return l;
}

size_t jl_utf8_invalid_at(const char *text, size_t len) {
        size_t i = 0, l;

        while (i < len && (l = utf8_len((const unsigned char *)text + i, len - i)) > 0)
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
                size_t l = utf8_len((const unsigned char *)sc->s + sc->pos, sc->len - sc->pos);
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
        if (peek(sc) == '0')
                sc->pos++;
        else if (is_digit(peek(sc)))
                while (is_digit(peek(sc)))
                        sc->pos++;
        else
                return "invalid number";
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

        for (size_t i = 0; i < ELEMENTSOF(lits); i++) {
                size_t l = strlen(lits[i]);
                if (sc->len - sc->pos >= l && memcmp(sc->s + sc->pos, lits[i], l) == 0) {
                        sc->pos += l;
                        return NULL;
                }
        }
        return "invalid literal (not true, false or null)";
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
        if (is_identifier(key, keylen)) {
                r = asprintf(&p, "%s.%.*s", parent, (int)keylen, key);
        } else {
                /* unbounded: a path names the key exactly */
                size_t size = keylen * 6 + 8;
                _cleanup_free_ char *q = malloc(size);
                if (!q)
                        return NULL;
                jl_render_string(q, size, key, keylen, SIZE_MAX);
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
static bool emit(char *out, size_t size, size_t *o, const char *s, size_t n) {
        if (*o + n + 5 > size)
                return false;
        memcpy(out + *o, s, n);
        *o += n;
        return true;
}

void jl_render_string(char *out, size_t size, const char *s, size_t len, size_t max_chars) {
        size_t o = 0, chars = 0, i = 0;
        bool ok;

        if (size < 6) {
                if (size)
                        out[0] = '\0';
                return;
        }
        out[o++] = '"';
        for (ok = true; ok && i < len; chars++) {
                unsigned char c = (unsigned char)s[i];
                char tmp[8];
                size_t l;

                if (chars >= max_chars) {
                        ok = false;
                } else if (c == '"' || c == '\\') {
                        tmp[0] = '\\';
                        tmp[1] = (char)c;
                        ok = emit(out, size, &o, tmp, 2);
                        i++;
                } else if (c == '\n' || c == '\t' || c == '\r') {
                        tmp[0] = '\\';
                        tmp[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
                        ok = emit(out, size, &o, tmp, 2);
                        i++;
                } else if (c < 0x20 || c == 0x7f) {
                        snprintf(tmp, sizeof(tmp), "\\u%04x", c);
                        ok = emit(out, size, &o, tmp, 6);
                        i++;
                } else if ((l = utf8_len((const unsigned char *)s + i, len - i)) > 0) {
                        ok = emit(out, size, &o, s + i, l);
                        i += l;
                } else {
                        /* not JSON, but shows the byte that is there */
                        snprintf(tmp, sizeof(tmp), "\\x%02x", c);
                        ok = emit(out, size, &o, tmp, 4);
                        i++;
                }
        }
        /* emit() always leaves 5 bytes: enough for `"...` and the NUL */
        memcpy(out + o, ok ? "\"" : "\"...", ok ? 2 : 5);
}
