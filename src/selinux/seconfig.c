/* SPDX-License-Identifier: MIT */
#include "selinux.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

/* libselinux matches keys at the start of a line, after blanks; so do we,
 * or we would rewrite lines it ignores and miss ones it reads. */
static const char *line_value(const char *line, size_t n, const char *key, size_t *vlen) {
        size_t klen = strlen(key), i = 0;

        while (i < n && (line[i] == ' ' || line[i] == '\t'))
                i++;
        if (n - i < klen || strncmp(line + i, key, klen) != 0)
                return NULL;
        i += klen;
        size_t end = n;
        while (end > i && isspace((unsigned char)line[end - 1]))
                end--;
        *vlen = end - i;
        return line + i;
}

static const char *const mode_names[] = {
        [SE_MODE_ENFORCING] = "enforcing",
        [SE_MODE_PERMISSIVE] = "permissive",
        [SE_MODE_DISABLED] = "disabled",
};

const char *se_mode_to_string(enum se_mode m) {
        if (m <= SE_MODE_UNSET || (size_t)m >= ELEMENTSOF(mode_names))
                return NULL;
        return mode_names[m];
}

enum se_mode se_mode_from_string(const char *s) {
        if (!s)
                return SE_MODE_UNSET;
        for (size_t i = SE_MODE_ENFORCING; i < ELEMENTSOF(mode_names); i++)
                if (streq(s, mode_names[i]))
                        return (enum se_mode)i;
        return SE_MODE_UNSET;
}

int seconfig_parse(const char *text, size_t len, struct seconfig_values *v) {
        *v = (struct seconfig_values){0};
        for (size_t pos = 0; pos < len;) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
                const char *val;
                size_t vlen;

                if ((val = line_value(text + pos, n, "SELINUX=", &vlen))) {
                        char word[16] = "";
                        if (vlen < sizeof(word)) {
                                for (size_t i = 0; i < vlen; i++)
                                        word[i] = (char)tolower((unsigned char)val[i]);
                                word[vlen] = 0;
                        }
                        v->mode = se_mode_from_string(word);
                } else if ((val = line_value(text + pos, n, "SELINUXTYPE=", &vlen))) {
                        char *t = strndup(val, vlen);
                        if (!t)
                                return -ENOMEM;
                        free(v->type);
                        v->type = t;
                }
                pos += n + 1;
        }
        return 0;
}

void seconfig_values_free(struct seconfig_values *v) {
        free(v->type);
        v->type = NULL;
}

int seconfig_rewrite(const char *text, size_t len, enum se_mode mode, const char *type, char **out,
                     size_t *outlen) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        bool have_mode = false, have_type = false;
        const char *word = se_mode_to_string(mode);

        if (!word || !type)
                return -EINVAL;
        _cleanup_fclose_ FILE *f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        for (size_t pos = 0; pos < len;) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
                size_t vlen;

                if (line_value(text + pos, n, "SELINUX=", &vlen)) {
                        fprintf(f, "SELINUX=%s\n", word);
                        have_mode = true;
                } else if (line_value(text + pos, n, "SELINUXTYPE=", &vlen)) {
                        fprintf(f, "SELINUXTYPE=%s\n", type);
                        have_type = true;
                } else {
                        fwrite(text + pos, 1, n, f);
                        fputc('\n', f);
                }
                pos += n + 1;
        }
        if (!have_mode)
                fprintf(f, "SELINUX=%s\n", word);
        if (!have_type)
                fprintf(f, "SELINUXTYPE=%s\n", type);
        if (fflush(f) != 0 || ferror(f))
                return -ENOMEM;
        fclose(TAKE_PTR(f));
        *outlen = size;
        *out = TAKE_PTR(buf);
        return 0;
}
