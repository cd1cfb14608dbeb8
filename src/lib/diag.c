/* SPDX-License-Identifier: MIT */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int diags_add(struct diags *d, enum diag_severity sev, const char *fmt, ...) {
        char *text;
        va_list ap;
        int r;

        if (GROW_FOR(d->items, d->n, d->allocated, 8) < 0)
                return -ENOMEM;
        va_start(ap, fmt);
        r = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        d->items[d->n++] = (struct diag){.severity = sev, .text = text};
        if (sev == DIAG_ERROR)
                d->n_errors++;
        return 0;
}

void diags_print(const struct diags *d, FILE *f) {
        for (size_t i = 0; i < d->n; i++)
                fprintf(f, "%s: %s\n", d->items[i].severity == DIAG_ERROR ? "error" : "warning",
                        d->items[i].text);
}

void diags_free(struct diags *d) {
        for (size_t i = 0; i < d->n; i++)
                free(d->items[i].text);
        free(d->items);
        *d = (struct diags){0};
}

size_t utf8_seq_len(const unsigned char *s, size_t n) {
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

static bool emit(char *out, size_t size, size_t *o, const char *s, size_t n) {
        if (*o + n + 5 > size)
                return false;
        memcpy(out + *o, s, n);
        *o += n;
        return true;
}

void diag_quote(char *out, size_t size, const char *s, size_t len, size_t max_chars) {
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
                } else if ((l = utf8_seq_len((const unsigned char *)s + i, len - i)) > 0) {
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
