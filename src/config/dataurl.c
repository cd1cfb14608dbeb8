/* SPDX-License-Identifier: MIT */
#include "dataurl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/util.h"


/* Percent-decodes s[0..n) into out (at least n + 1 bytes). */
static int percent_decode(const char *s, size_t n, char *out, size_t *outlen) {
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
        out[o] = '\0';
        *outlen = o;
        return 0;
}

static int b64value(char c) {
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

/* Standard alphabet. Padding may be left out, but if present it must
 * complete the last group; nothing may follow it; no whitespace. Decodes
 * in place (the output is never longer than the input). */
static int base64_decode(char *s, size_t n, size_t *outlen) {
        size_t pad = 0, o = 0;
        unsigned acc = 0, bits = 0;

        while (pad < n && pad < 2 && s[n - 1 - pad] == '=')
                pad++;
        if (pad && n % 4 != 0)
                return -EINVAL;
        n -= pad;
        if (n % 4 == 1)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                int v = b64value(s[i]);
                if (v < 0)
                        return -EINVAL;
                acc = (acc << 6) | (unsigned)v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        s[o++] = (char)((acc >> bits) & 0xff);
                }
        }
        s[o] = '\0';
        *outlen = o;
        return 0;
}

/* The media type and parameters: printable, no spaces. Returns whether
 * the last parameter is ";base64". */
static int parse_header(const char *h, size_t n, bool *base64) {
        static const char tag[] = ";base64";
        const size_t tl = sizeof(tag) - 1;

        for (size_t i = 0; i < n; i++)
                if ((unsigned char)h[i] <= 0x20 || (unsigned char)h[i] >= 0x7f)
                        return -EINVAL;
        *base64 = n >= tl && strncasecmp(h + n - tl, tag, tl) == 0;
        return 0;
}

int dataurl_decode(const char *url, char **out, size_t *outlen) {
        _cleanup_free_ char *buf = NULL;
        const char *comma, *data;
        bool base64;
        size_t n;
        int r;

        if (!url || strncasecmp(url, "data:", 5) != 0)
                return -EPROTONOSUPPORT;
        url += 5;
        comma = strchr(url, ',');
        if (!comma)
                return -EINVAL;
        r = parse_header(url, (size_t)(comma - url), &base64);
        if (r < 0)
                return r;
        data = comma + 1;
        buf = malloc(strlen(data) + 1);
        if (!buf)
                return -ENOMEM;
        /* RFC 2397 lets base64 data be percent-encoded too */
        r = percent_decode(data, strlen(data), buf, &n);
        if (r == 0 && base64)
                r = base64_decode(buf, n, &n);
        if (r < 0)
                return r;
        *out = TAKE_PTR(buf);
        *outlen = n;
        return 0;
}
