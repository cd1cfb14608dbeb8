/* SPDX-License-Identifier: MIT */
#include "fcspecs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* libselinux's label_file.h: the magic, and the formats whose records
 * carry a 32-bit mode and a prefix length (4) and a regex arch string (5). */
#define FC_BIN_MAGIC 0xf97cff8aU
#define FC_BIN_PREFIX_LEN 4
#define FC_BIN_REGEX_ARCH 5

/* libselinux's metacharacters; a backslash also ends a literal prefix. */
static const bool meta_char[256] = {
        ['.'] = true, ['^'] = true, ['$'] = true, ['?'] = true, ['*'] = true,
        ['+'] = true, ['|'] = true, ['['] = true, ['('] = true, ['{'] = true,
};

/* The C locale's isspace() and isprint(), which libselinux runs in. */
static bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool is_print(unsigned char c) { return c >= 0x20 && c < 0x7f; }

void fc_specs_done(struct fc_specs *s) {
        free(s->v);
        *s = (struct fc_specs){0};
}

static int add(struct fc_specs *s, const char *re, uint32_t mode, const char *ctx, bool meta) {
        if (GROW_FOR(s->v, s->n, s->allocated, 256) < 0)
                return -ENOMEM;
        s->v[s->n++] = (struct fc_spec){.re = re, .ctx = ctx, .mode = mode, .meta = meta};
        return 0;
}

/* The file type tokens of file_contexts ("--", "-d", ...). */
static const struct {
        const char *token;
        uint32_t mode;
} types[] = {
        {"--", S_IFREG}, {"-d", S_IFDIR}, {"-c", S_IFCHR}, {"-b", S_IFBLK},
        {"-s", S_IFSOCK}, {"-p", S_IFIFO}, {"-l", S_IFLNK},
};

static int type_mode(const char *t, uint32_t *mode) {
        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (streq(types[i].token, t)) {
                        *mode = types[i].mode;
                        return 0;
                }
        return -EINVAL;
}

const char *fc_type_token(uint32_t mode) {
        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (types[i].mode == mode)
                        return types[i].token;
        return NULL;
}

/* As libselinux's read_spec_entries(): whitespace-separated, printable. */
static char *token(char **p) {
        char *s = *p;
        while (*s && is_space((unsigned char)*s))
                s++;
        if (!*s)
                return NULL;
        char *e = s;
        while (*e && !is_space((unsigned char)*e))
                e++;
        if (*e)
                *e++ = 0;
        *p = e;
        return s;
}

int fc_specs_from_text(char *text, struct fc_specs *out) {
        for (char *line = text, *end; line && *line; line = end) {
                end = strchr(line, '\n');
                if (end)
                        *end++ = 0;
                for (const char *c = line; *c; c++)
                        if (!is_print((unsigned char)*c) && !is_space((unsigned char)*c))
                                return -EINVAL;
                char *p = line, *tok[3] = {0};
                size_t n = 0;
                while (n < 3 && (tok[n] = token(&p)))
                        n++;
                if (n == 0 || tok[0][0] == '#')
                        continue;
                if (n < 2)
                        return -EINVAL;
                uint32_t mode = 0;
                if (n == 3 && type_mode(tok[1], &mode) < 0)
                        return -EINVAL;
                int r = add(out, tok[0], mode, tok[n - 1], fc_has_meta(tok[0]));
                if (r < 0)
                        return r;
        }
        return 0;
}

struct reader {
        const unsigned char *p;
        size_t left;
};

static int take(struct reader *rd, void *dst, size_t n) {
        if (rd->left < n)
                return -EINVAL;
        if (dst)
                memcpy(dst, rd->p, n);
        rd->p += n;
        rd->left -= n;
        return 0;
}

static int take_u32(struct reader *rd, uint32_t *v) { return take(rd, v, sizeof(*v)); }

/* A length-prefixed string whose length counts its NUL, as records store
 * contexts and regexes (libselinux, too, reads them up to the first NUL). */
static int take_string(struct reader *rd, const char **s) {
        uint32_t len;
        if (take_u32(rd, &len) < 0 || len == 0 || len > rd->left || rd->p[len - 1] != 0)
                return -EINVAL;
        *s = (const char *)rd->p;
        return take(rd, NULL, len);
}

/* A length-prefixed blob, skipped. */
static int skip_blob(struct reader *rd) {
        uint32_t len;
        return take_u32(rd, &len) < 0 ? -EINVAL : take(rd, NULL, len);
}

int fc_specs_from_bin(const void *buf, size_t len, struct fc_specs *out) {
        struct reader rd = {buf, len};
        uint32_t magic, version, n_stems, n_specs;

        if (take_u32(&rd, &magic) < 0 || magic != FC_BIN_MAGIC || take_u32(&rd, &version) < 0)
                return -EINVAL;
        if (version != FC_BIN_PREFIX_LEN && version != FC_BIN_REGEX_ARCH)
                return -EOPNOTSUPP;
        /* the regex library's version, then (5) its arch string */
        if (skip_blob(&rd) < 0 || (version >= FC_BIN_REGEX_ARCH && skip_blob(&rd) < 0))
                return -EINVAL;
        if (take_u32(&rd, &n_stems) < 0)
                return -EINVAL;
        for (uint32_t i = 0; i < n_stems; i++) {
                uint32_t l;
                /* here the length leaves the NUL out */
                if (take_u32(&rd, &l) < 0 || l == 0 || l == UINT32_MAX || rd.left < (size_t)l + 1 || rd.p[l] != 0)
                        return -EINVAL;
                take(&rd, NULL, (size_t)l + 1);
        }
        if (take_u32(&rd, &n_specs) < 0 || n_specs == 0)
                return -EINVAL;
        for (uint32_t i = 0; i < n_specs; i++) {
                const char *ctx, *re;
                uint32_t mode, stem, meta, prefix_len;
                int r;
                if (take_string(&rd, &ctx) < 0 || take_string(&rd, &re) < 0 || take_u32(&rd, &mode) < 0 ||
                    take_u32(&rd, &stem) < 0 || take_u32(&rd, &meta) < 0 || take_u32(&rd, &prefix_len) < 0 ||
                    skip_blob(&rd) < 0)
                        return -EINVAL;
                r = add(out, re, mode, ctx, meta != 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

size_t fc_literal_prefix(const char *re) {
        size_t i = 0;
        while (re[i] && !meta_char[(unsigned char)re[i]] && re[i] != '\\')
                i++;
        if (i > 0 && (re[i] == '?' || re[i] == '*' || re[i] == '+' || re[i] == '{'))
                i--;
        return i;
}

bool fc_alternates(const char *re) {
        int depth = 0;
        for (const char *c = re; *c; c++) {
                if (*c == '\\') {
                        if (!*++c)
                                break;
                } else if (*c == '[') {
                        /* a class: "]" right after "[" or "[^" is a member */
                        c++;
                        if (*c == '^')
                                c++;
                        if (*c == ']')
                                c++;
                        while (*c && *c != ']') {
                                if (*c == '\\' && c[1])
                                        c++;
                                c++;
                        }
                        if (!*c)
                                return true;
                } else if (*c == '(')
                        depth++;
                else if (*c == ')')
                        depth--;
                else if (*c == '|' && depth <= 0)
                        return true;
        }
        return false;
}

bool fc_has_meta(const char *re) {
        for (const char *c = re; *c; c++) {
                if (meta_char[(unsigned char)*c])
                        return true;
                if (*c == '\\' && !*++c)
                        break;
        }
        return false;
}

bool fc_path_beneath(const char *path, const char *root) {
        size_t n = strlen(root);
        return strncmp(path, root, n) == 0 && (!path[n] || path[n] == '/' || n == 0 || root[n - 1] == '/');
}

static bool prefix_may_match(const char *re, size_t lit, const char *root) {
        /* no metacharacter at all: that one path */
        if (!re[lit])
                return fc_path_beneath(re, root);
        /* a prefix of the root ("/etc/selinux/" for the root "/etc/selinux/config") */
        if (lit <= strlen(root))
                return memcmp(re, root, lit) == 0;
        /* longer: it must lead beneath the root */
        return fc_path_beneath(re, root);
}

bool fc_may_match_beneath_any(const char *re, const char *const *roots, size_t n_roots) {
        size_t lit = fc_literal_prefix(re);
        for (size_t i = 0; i < n_roots; i++)
                if (prefix_may_match(re, lit, roots[i]))
                        return true;
        /* a top-level alternative need not begin with the prefix */
        return fc_alternates(re);
}

bool fc_may_match_beneath(const char *re, const char *root) {
        return fc_may_match_beneath_any(re, &root, 1);
}
