/* SPDX-License-Identifier: MIT */
#include "auditrules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

/* Splits the next blank-separated token of line[*i..n). */
static size_t next_token(const char *line, size_t n, size_t *i, const char **tok) {
        while (*i < n && (line[*i] == ' ' || line[*i] == '\t' || line[*i] == '\r'))
                (*i)++;
        size_t start = *i;
        while (*i < n && line[*i] != ' ' && line[*i] != '\t' && line[*i] != '\r')
                (*i)++;
        *tok = line + start;
        return *i - start;
}

static bool tok_is(const char *tok, size_t len, const char *want) {
        return len == strlen(want) && memcmp(tok, want, len) == 0;
}

bool auditrules_line_hides_all(const char *line, size_t n) {
        const char *tok[5];
        size_t len[5], i = 0, count = 0;

        for (; count < ELEMENTSOF(tok); count++) {
                len[count] = next_token(line, n, &i, &tok[count]);
                if (len[count] == 0)
                        break;
        }
        if (count != 4)
                return false;
        return (tok_is(tok[0], len[0], "-a") || tok_is(tok[0], len[0], "-A")) &&
               (tok_is(tok[1], len[1], "exclude,always") || tok_is(tok[1], len[1], "always,exclude")) &&
               tok_is(tok[2], len[2], "-F") && tok_is(tok[3], len[3], "msgtype>0");
}

int auditrules_filter(const char *text, size_t len, char **out, size_t *outlen, size_t *removed) {
        _cleanup_free_ char *buf = malloc(len + 1);
        size_t o = 0, gone = 0;

        if (!buf)
                return -ENOMEM;
        for (size_t pos = 0; pos < len;) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
                size_t with_nl = nl ? n + 1 : n;

                if (auditrules_line_hides_all(text + pos, n))
                        gone++;
                else {
                        memcpy(buf + o, text + pos, with_nl);
                        o += with_nl;
                }
                pos += with_nl;
        }
        buf[o] = 0;
        *outlen = o;
        *out = TAKE_PTR(buf);
        if (removed)
                *removed = gone;
        return 0;
}
