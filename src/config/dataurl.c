/* SPDX-License-Identifier: MIT */
/* data: URLs exactly as Ignition accepts them. Ignition validates a source
 * with Go's net/url Parse() and then vincent-petithory/dataurl's
 * DecodeString() on the string as written (config/v3_N/types/url.go,
 * validateURL), and fetches it with DecodeString() of the parsed URL
 * (internal/resource/url.go, fetchFromDataURL), which gives back the same
 * string for every URL that passed. What follows is written from those
 * rules (dataurl v1.0.0: lex.go, dataurl.go, rfc2396.go; Go's net/url and
 * encoding/base64), not from their code; tests/unit/test-dataurl.c cites
 * the function each rule comes from. */
#include "dataurl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

static bool is_ctl(unsigned char c) { return c < 0x20 || c == 0x7f; }

/* lex.go isTSpecialRune */
static bool is_tspecial(unsigned char c) { return c && strchr("()<>@,;:\\\"/[]?=", c); }

/* lex.go isTokenRune: ASCII, not a control, not a space, not a tspecial */
static bool is_token(unsigned char c) {
        return c < 0x80 && !is_ctl(c) && !strchr(" \t\n\v\f\r", c) && !is_tspecial(c);
}

/* lex.go isURLCharRune: what plain (not base64) data may hold raw */
static bool is_url_char(unsigned char c) {
        return c < 0x80 && !is_ctl(c) && !strchr(" <>#\"{}|\\^[]`", c);
}

/* lex.go isBase64Rune: the alphabet, '=' and '\n' */
static bool is_base64_char(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
               c == '/' || c == '=' || c == '\n';
}

static bool has_prefix(const char *s, size_t n, const char *p) {
        size_t l = strlen(p);
        return n >= l && memcmp(s, p, l) == 0;
}

/* Go's net/url getScheme() and what Parse() checks before it: no control
 * byte before the fragment, a scheme unless the first byte says there is
 * none, the fragment's %-escapes well-formed. */
int url_scheme(const char *s, size_t n, char *scheme, size_t size, const char **why) {
        const char *hash = memchr(s, '#', n);
        size_t ulen = hash ? (size_t)(hash - s) : n, slen = 0;

        for (size_t i = 0; i < ulen; i++)
                if (is_ctl((unsigned char)s[i])) {
                        *why = "invalid control character in URL";
                        return -EINVAL;
                }
        for (size_t i = 0; i < ulen; i++) {
                char c = s[i];
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                        continue;
                if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                        if (i == 0)
                                break;
                        continue;
                }
                if (c == ':') {
                        if (i == 0) {
                                *why = "missing protocol scheme";
                                return -EINVAL;
                        }
                        slen = i;
                }
                break;
        }
        if (hash)
                for (size_t i = ulen + 1; i < n; i++) {
                        if (s[i] != '%')
                                continue;
                        if (i + 2 >= n || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) {
                                *why = "invalid URL escape in the fragment";
                                return -EINVAL;
                        }
                        i += 2;
                }
        /* lower-cased, as Parse() does; a scheme too long for `scheme` is no
         * scheme Ignition knows, and comes back cut (never empty) */
        size_t k = 0;
        for (; k < slen && k + 1 < size; k++)
                scheme[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]);
        if (k < slen && k > 0)
                scheme[k - 1] = '~';
        scheme[k] = '\0';
        return 0;
}

/* rfc2396.go Unescape: '%' and two hex digits, nothing else is special */
static int unescape(const char *s, size_t n, char *out, size_t *outlen) {
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                if (s[i] != '%') {
                        out[o++] = s[i];
                        continue;
                }
                if (n - i < 3 || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0)
                        return -EINVAL;
                out[o++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
                i += 2;
        }
        *outlen = o;
        return 0;
}

static int b64value(unsigned char c) {
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '+')
                return 62;
        if (c == '/')
                return 63;
        return -1;
}

static size_t skip_newlines(const char *s, size_t n, size_t i) {
        while (i < n && (s[i] == '\n' || s[i] == '\r'))
                i++;
        return i;
}

/* encoding/base64 StdEncoding.DecodeString (decodeQuantum): groups of four,
 * newlines skipped anywhere, padding required ("QQ" fails, "QQ==" is "A"),
 * padding only at the end, unused bits of the last group not checked (the
 * encoding is not Strict). */
static int base64_decode(const char *s, size_t n, char *out, size_t *outlen) {
        size_t si = 0, o = 0;

        for (;;) {
                unsigned v[4] = {0};
                size_t j, dlen = 4;
                bool end = false;

                for (j = 0; j < 4; j++) {
                        if (si == n) {
                                if (j == 0) {
                                        *outlen = o;
                                        return 0;
                                }
                                return -EINVAL; /* not padded */
                        }
                        unsigned char c = (unsigned char)s[si++];
                        int x = b64value(c);
                        if (x >= 0) {
                                v[j] = (unsigned)x;
                                continue;
                        }
                        if (c == '\n' || c == '\r') {
                                j--;
                                continue;
                        }
                        if (c != '=' || j < 2)
                                return -EINVAL;
                        if (j == 2) {
                                /* "==" is expected, newlines between */
                                si = skip_newlines(s, n, si);
                                if (si == n || s[si] != '=')
                                        return -EINVAL;
                                si++;
                        }
                        si = skip_newlines(s, n, si);
                        if (si < n)
                                return -EINVAL; /* after the padding */
                        dlen = j;
                        end = true;
                        break;
                }
                unsigned val = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
                if (dlen >= 2)
                        out[o++] = (char)(val >> 16);
                if (dlen >= 3)
                        out[o++] = (char)(val >> 8);
                if (dlen == 4)
                        out[o++] = (char)val;
                if (end) {
                        *outlen = o;
                        return 0;
                }
        }
}

/* strconv.Unquote of a double-quoted parameter value: no raw newline, and
 * escapes as in Go: \a \b \f \n \r \t \v \\ \", \x and two hex digits, three
 * octal digits up to \377, \u and four, \U and eight hex digits naming a
 * Unicode scalar value. (The lexer let only ASCII through.) */
static bool go_unquote_ok(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\n')
                        return false;
                if (s[i] != '\\')
                        continue;
                if (++i == n)
                        return false;
                char c = s[i];
                size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
                if (digits) {
                        unsigned long v = 0;
                        if (n - i - 1 < digits)
                                return false;
                        for (size_t k = 1; k <= digits; k++) {
                                int h = hex_value(s[i + k]);
                                if (h < 0)
                                        return false;
                                v = v * 16 + (unsigned long)h;
                        }
                        if (c != 'x' && (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)))
                                return false;
                        i += digits;
                } else if (c >= '0' && c <= '7') {
                        if (n - i - 1 < 2 || s[i + 1] < '0' || s[i + 1] > '7' || s[i + 2] < '0' || s[i + 2] > '7' ||
                            (c - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0') > 255)
                                return false;
                        i += 2;
                } else if (!strchr("abfnrtv\\\"", c)) {
                        return false;
                }
        }
        return true;
}

/* What dataurl.go's parser checks of a parameter value as the lexer hands
 * it over: a quoted one must unquote; a plain one must unescape, unless
 * the value before it was an empty quoted string, which leaves the
 * parser's "unquote the next value" switch on (and unquoting a token
 * always succeeds). */
static bool param_value_ok(const char *v, size_t n, bool quoted, bool *unquote_next) {
        if (quoted) {
                if (n == 0) {
                        *unquote_next = true;
                        return true;
                }
                *unquote_next = false;
                return go_unquote_ok(v, n);
        }
        if (*unquote_next) {
                *unquote_next = false;
                return true;
        }
        for (size_t i = 0; i < n; i++)
                if (v[i] == '%') {
                        if (n - i < 3 || hex_value(v[i + 1]) < 0 || hex_value(v[i + 2]) < 0)
                                return false;
                        i += 2;
                }
        return true;
}

/* lex.go isDiscreteType, isCompositeType: prefixes, case as written */
static bool known_type(const char *t, size_t n) {
        static const char *const types[] = {"text", "image", "audio", "video", "application", "message", "multipart"};

        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (has_prefix(t, n, types[i]))
                        return true;
        return false;
}

#define FAIL(msg)                    \
        do {                         \
                *why = (msg);        \
                return -EINVAL;      \
        } while (0)

/* The lexer of lex.go as one pass: the header up to the comma that starts
 * the data. Sets *data to the offset after that comma. */
static int lex_header(const char *s, size_t n, size_t *data, bool *base64, const char **why) {
        size_t i = 5, start = 5;
        bool unquote_next = false;

        /* lexAfterDataPrefix: a media type, or straight to ';' or ',' */
        if (i == n)
                FAIL("missing comma before data");
        if (s[i] != ';' && s[i] != ',') {
                unsigned char c = (unsigned char)s[i];
                if (c == 'x' || c == 'X') {
                        /* lexXTokenMediaType after "x-"; otherwise the
                         * rune after the x is taken unchecked and the type
                         * can only fail isDiscreteType */
                        i++;
                        if (i < n && s[i] == '-') {
                                for (i++; i < n && s[i] != '/'; i++)
                                        if (!is_token((unsigned char)s[i]))
                                                FAIL("invalid character for media type");
                                if (i == n)
                                        FAIL("missing media type slash");
                        } else {
                                if (i < n)
                                        i++;
                                for (; i < n && s[i] != '/'; i++)
                                        if (!is_token((unsigned char)s[i]))
                                                FAIL("invalid character for media type");
                                if (i == n)
                                        FAIL("missing media type slash");
                                FAIL("invalid media type");
                        }
                } else if (is_token(c)) {
                        for (i++; i < n && s[i] != '/'; i++)
                                if (!is_token((unsigned char)s[i]))
                                        FAIL("invalid character for media type");
                        if (i == n)
                                FAIL("missing media type slash");
                        if (!known_type(s + start, i - start))
                                FAIL("invalid media type");
                } else {
                        FAIL("invalid character after data prefix");
                }
                /* lexAfterMediaSep: a subtype, maybe empty */
                for (i++; i < n && s[i] != ';' && s[i] != ','; i++)
                        if (!is_token((unsigned char)s[i]))
                                FAIL("invalid character for media subtype");
                if (i == n)
                        FAIL("incomplete media type");
        }
        /* parameters: ";attr=value" ... and ";base64" just before the comma */
        while (s[i] == ';') {
                size_t a = ++i;
                if (i == n || s[i] == '=' || s[i] == ',' || !is_token((unsigned char)s[i]))
                        FAIL(i == n || s[i] == '=' || s[i] == ',' ? "unterminated parameter sequence"
                                                                  : "invalid character for parameter attribute");
                for (; i < n && s[i] != '=' && s[i] != ','; i++)
                        if (!is_token((unsigned char)s[i]))
                                FAIL("invalid character for parameter attribute");
                if (i == n)
                        FAIL("unterminated parameter sequence");
                if (s[i] == ',') {
                        /* lexBase64Enc: exactly "base64" */
                        if (i - a != 6 || memcmp(s + a, "base64", 6) != 0)
                                FAIL("expected base64");
                        *base64 = true;
                        break;
                }
                i++; /* '=' */
                if (i == n)
                        FAIL("missing comma before data");
                if (s[i] == '"') {
                        size_t v = ++i;
                        for (; i < n && s[i] != '"'; i++) {
                                if ((unsigned char)s[i] >= 0x80)
                                        FAIL("invalid character for parameter value");
                                if (s[i] == '\\') {
                                        if (++i == n)
                                                break;
                                        if ((unsigned char)s[i] >= 0x80)
                                                FAIL("invalid escaped character");
                                }
                        }
                        if (i >= n)
                                FAIL("unclosed quoted string");
                        if (!param_value_ok(s + v, i - v, true, &unquote_next))
                                FAIL("invalid quoted parameter value");
                        i++; /* '"' */
                } else if (is_token((unsigned char)s[i])) {
                        size_t v = i;
                        for (i++; i < n && s[i] != ';' && s[i] != ','; i++)
                                if (!is_token((unsigned char)s[i]))
                                        FAIL("invalid character for parameter value");
                        if (i == n)
                                FAIL("missing comma before data");
                        if (!param_value_ok(s + v, i - v, false, &unquote_next))
                                FAIL("invalid escape in parameter value");
                        continue;
                } else {
                        FAIL("invalid character for parameter value");
                }
                /* lexAfterParamVal */
                if (i == n)
                        FAIL("missing comma before data");
                if (s[i] != ';' && s[i] != ',')
                        FAIL("expected semicolon or comma");
        }
        if (s[i] != ',')
                FAIL("expected semicolon or comma");
        *data = i + 1;
        return 0;
}

int dataurl_decode_ex(const char *url, size_t n, char **out, size_t *outlen, const char **why) {
        _cleanup_free_ char *buf = NULL;
        char scheme[16];
        const char *ignored;
        bool base64 = false;
        size_t data, len = 0;
        int r;

        if (!why)
                why = &ignored;
        *why = NULL;
        if (!url)
                return -EPROTONOSUPPORT;
        r = url_scheme(url, n, scheme, sizeof(scheme), why);
        if (r < 0)
                return r;
        if (!streq(scheme, "data"))
                return -EPROTONOSUPPORT;
        /* lexBeforeDataPrefix: "data:" exactly, though Parse() found the
         * scheme in any case */
        if (!has_prefix(url, n, "data:"))
                FAIL("missing data prefix (\"data:\" in lower case)");
        r = lex_header(url, n, &data, &base64, why);
        if (r < 0)
                return r;
        for (size_t i = data; i < n; i++)
                if (!(base64 ? is_base64_char((unsigned char)url[i]) : is_url_char((unsigned char)url[i])))
                        FAIL(base64 ? "invalid base64 data character" : "invalid data character");
        buf = malloc(n - data + 1);
        if (!buf)
                return -ENOMEM;
        r = base64 ? base64_decode(url + data, n - data, buf, &len) : unescape(url + data, n - data, buf, &len);
        if (r < 0)
                FAIL(base64 ? "illegal base64 data (padding required, none after it)" : "invalid %-escape in data");
        buf[len] = '\0';
        *out = TAKE_PTR(buf);
        *outlen = len;
        return 0;
}

int dataurl_decode(const char *url, char **out, size_t *outlen) {
        return dataurl_decode_ex(url, url ? strlen(url) : 0, out, outlen, NULL);
}
