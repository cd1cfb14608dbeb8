/* SPDX-License-Identifier: MIT */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "labelcache.h"

#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsutil.h"
#include "lib/util.h"

#define SPEC_FILE_MAX (64u * 1024 * 1024)
/* Directories whose relevant specs are kept: a depth-first copy returns to a
 * parent after each subdirectory. */
#define DIRS_KEPT 16

struct spec {
        char *re;
        size_t lit; /* every string it matches begins with this many of its characters */
        pcre2_code *code;
        bool tried; /* compiled (code) or failed (code NULL) */
};

struct dir_specs {
        char *dir;
        size_t *idx, n;
        bool unusable; /* a spec there does not compile: no caching below */
        unsigned long used;
};

struct memo {
        mode_t type;
        size_t n;
        size_t *idx;
        char *con;
        bool stored;
};

struct label_cache {
        struct spec *specs;
        size_t n_specs;
        char **subs;
        size_t n_subs;
        struct dir_specs dirs[DIRS_KEPT];
        unsigned long clock;
        struct memo *memo;
        size_t n_memo;
        pcre2_match_data *md;
        size_t *scratch;
};

/* The characters a regular expression matches as themselves. */
static bool plain(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '/' ||
               ch == '_' || ch == '-';
}

/* How many leading characters every string `re` matches begins with: its
 * run of plain characters, less the last when a quantifier follows it
 * ("/etc/dhcp3?/" promises only "/etc/dhcp"). With an alternation anywhere
 * none at all: an alternative need not begin the same way, and "^RE$"
 * anchors only the outer ends. Only a filter: PCRE2 decides. */
static size_t literal_prefix(const char *re) {
        size_t i = 0;

        if (strchr(re, '|'))
                return 0;
        while (plain(re[i]))
                i++;
        if (i > 0 && re[i] && strchr("?*+{", re[i]))
                i--;
        return i;
}

static char *next_token(char **p) {
        char *s = *p + strspn(*p, " \t");
        if (!*s)
                return NULL;
        char *e = s + strcspn(s, " \t");
        if (*e)
                *e++ = 0;
        *p = e;
        return s;
}

static int add_spec(struct label_cache *c, const char *re) {
        struct spec *n = reallocarray(c->specs, c->n_specs + 1, sizeof(*n));
        if (!n)
                return -ENOMEM;
        c->specs = n;
        n[c->n_specs] = (struct spec){.re = strdup(re), .lit = literal_prefix(re)};
        if (!n[c->n_specs].re)
                return -ENOMEM;
        c->n_specs++;
        return 0;
}

static int add_sub(struct label_cache *c, const char *src) {
        char **n = reallocarray(c->subs, c->n_subs + 1, sizeof(*n));
        if (!n)
                return -ENOMEM;
        c->subs = n;
        if (!(n[c->n_subs] = strdup(src)))
                return -ENOMEM;
        c->n_subs++;
        return 0;
}

/* Reads one file's lines: `want` tokens at least, the first kept. A line of
 * any other shape makes the whole cache unusable (-EINVAL). */
static int read_lines(struct label_cache *c, int filesfd, const char *name, bool subs) {
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r = read_full_at(filesfd, name, SPEC_FILE_MAX, &text, &len);

        if (r == -ENOENT) {
                /* libselinux would load a compiled file without its text */
                _cleanup_free_ char *bin = NULL;
                struct stat st;
                if (asprintf(&bin, "%s.bin", name) < 0)
                        return -ENOMEM;
                return fstatat(filesfd, bin, &st, 0) == 0 ? -ENOENT : 0;
        }
        if (r < 0)
                return r;
        if (memchr(text, 0, len))
                return -EINVAL;
        for (char *line = text, *end; line && *line; line = end) {
                end = strchr(line, '\n');
                if (end)
                        *end++ = 0;
                char *p = line, *first = next_token(&p);
                if (!first || first[0] == '#')
                        continue;
                char *second = next_token(&p);
                if (!second)
                        return -EINVAL;
                r = subs ? add_sub(c, first) : add_spec(c, first);
                if (r < 0)
                        return r;
        }
        return 0;
}

int label_cache_open(int filesfd, struct label_cache **out) {
        struct label_cache *c = calloc(1, sizeof(*c));
        int r = 0;

        if (!c)
                return -ENOMEM;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(fc_spec_files); i++)
                r = read_lines(c, filesfd, fc_spec_files[i], false);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(fc_subs_files); i++)
                r = read_lines(c, filesfd, fc_subs_files[i], true);
        if (r >= 0 && c->n_specs == 0)
                r = -ENOENT;
        if (r >= 0 && !(c->md = pcre2_match_data_create(1, NULL)))
                r = -ENOMEM;
        if (r >= 0 && !(c->scratch = calloc(c->n_specs, sizeof(size_t))))
                r = -ENOMEM;
        if (r < 0) {
                label_cache_free(c);
                return r;
        }
        *out = c;
        return 0;
}

void label_cache_free(struct label_cache *c) {
        if (!c)
                return;
        for (size_t i = 0; i < c->n_specs; i++) {
                free(c->specs[i].re);
                pcre2_code_free(c->specs[i].code);
        }
        free(c->specs);
        for (size_t i = 0; i < c->n_subs; i++)
                free(c->subs[i]);
        free(c->subs);
        for (size_t i = 0; i < DIRS_KEPT; i++) {
                free(c->dirs[i].dir);
                free(c->dirs[i].idx);
        }
        for (size_t i = 0; i < c->n_memo; i++) {
                free(c->memo[i].idx);
                free(c->memo[i].con);
        }
        free(c->memo);
        pcre2_match_data_free(c->md);
        free(c->scratch);
        free(c);
}

/* As libselinux 3.x compiles it (label_file.h, regex.c): "^RE$",
 * PCRE2_DOTALL. */
static pcre2_code *compiled(struct spec *s) {
        if (!s->tried) {
                _cleanup_free_ char *anchored = NULL;
                int err;
                PCRE2_SIZE off;
                s->tried = true;
                if (asprintf(&anchored, "^%s$", s->re) >= 0)
                        s->code = pcre2_compile((PCRE2_SPTR)anchored, PCRE2_ZERO_TERMINATED, PCRE2_DOTALL, &err,
                                                &off, NULL);
        }
        return s->code;
}

/* 1 match, 0 no match, -1 partial (with `partial`) or anything unsure. */
static int match(struct label_cache *c, struct spec *s, const char *subject, size_t len, bool partial) {
        pcre2_code *code = compiled(s);
        if (!code)
                return -1;
        int r = pcre2_match(code, (PCRE2_SPTR)subject, len, 0, partial ? PCRE2_PARTIAL_HARD : 0, c->md, NULL);
        if (r >= 0)
                return 1;
        return r == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static struct dir_specs *cached_dir(struct label_cache *c, const char *dir, size_t dlen) {
        for (size_t i = 0; i < DIRS_KEPT; i++)
                if (c->dirs[i].dir && strlen(c->dirs[i].dir) == dlen && memcmp(c->dirs[i].dir, dir, dlen) == 0) {
                        c->dirs[i].used = ++c->clock;
                        return &c->dirs[i];
                }
        return NULL;
}

/* The specs that can match some path beneath `dir` ("DIR/..."). Those are
 * among the parent directory's (a path beneath DIR/ is beneath its parent
 * too): when a depth-first copy has the parent's at hand, only those are
 * tried, so a store's hundreds of module directories each try the store's
 * few specs, not all of them. (Not worked out for a parent not at hand:
 * near the top that means compiling every spec under /etc or /var.) */
static struct dir_specs *specs_below(struct label_cache *c, const char *dir, size_t dlen) {
        struct dir_specs *d = cached_dir(c, dir, dlen);

        if (d)
                return d;
        const char *up = memrchr(dir, '/', dlen);
        const struct dir_specs *parent = up && up > dir ? cached_dir(c, dir, (size_t)(up - dir)) : NULL;
        c->clock++;
        /* The parent was used last: it is not the slot taken here. */
        d = &c->dirs[0];
        for (size_t i = 1; i < DIRS_KEPT; i++)
                if (c->dirs[i].used < d->used)
                        d = &c->dirs[i];
        free(d->dir);
        free(d->idx);
        *d = (struct dir_specs){.used = c->clock};
        _cleanup_free_ char *prefix = malloc(dlen + 2);
        if (!prefix || !(d->dir = strndup(dir, dlen)))
                return NULL;
        memcpy(prefix, dir, dlen);
        prefix[dlen] = '/';
        prefix[dlen + 1] = 0;
        size_t n = 0, n_from = parent ? parent->n : c->n_specs;
        for (size_t j = 0; j < n_from; j++) {
                size_t i = parent ? parent->idx[j] : j;
                struct spec *s = &c->specs[i];
                size_t k = s->lit < dlen + 1 ? s->lit : dlen + 1;
                /* A literal prefix that leaves "DIR/" cannot come back. */
                if (memcmp(s->re, prefix, k) != 0)
                        continue;
                int m = match(c, s, prefix, dlen + 1, true);
                if (m == 0)
                        continue;
                if (!s->code)
                        d->unusable = true;
                c->scratch[n++] = i;
        }
        d->idx = malloc((n ? n : 1) * sizeof(size_t));
        if (!d->idx) {
                free(d->dir);
                d->dir = NULL;
                return NULL;
        }
        memcpy(d->idx, c->scratch, n * sizeof(size_t));
        d->n = n;
        return d;
}

static bool substituted(const struct label_cache *c, const char *path) {
        for (size_t i = 0; i < c->n_subs; i++) {
                size_t n = strlen(c->subs[i]);
                if (strncmp(path, c->subs[i], n) == 0 && (path[n] == '/' || !path[n]))
                        return true;
        }
        return false;
}

int label_cache_key(struct label_cache *c, const char *path, mode_t mode) {
        const char *slash = strrchr(path, '/');
        size_t len = strlen(path), n = 0;

        if (!c || path[0] != '/' || !slash || slash == path || strstr(path, "//") || path[len - 1] == '/' ||
            substituted(c, path))
                return LABEL_CACHE_MISS;
        struct dir_specs *d = specs_below(c, path, (size_t)(slash - path));
        if (!d || d->unusable)
                return LABEL_CACHE_MISS;
        for (size_t i = 0; i < d->n; i++) {
                int m = match(c, &c->specs[d->idx[i]], path, len, false);
                if (m < 0)
                        return LABEL_CACHE_MISS;
                if (m)
                        c->scratch[n++] = d->idx[i];
        }
        mode &= S_IFMT;
        for (size_t k = 0; k < c->n_memo; k++) {
                struct memo *e = &c->memo[k];
                if (e->type == mode && e->n == n && memcmp(e->idx, c->scratch, n * sizeof(size_t)) == 0)
                        return (int)k;
        }
        if (c->n_memo >= INT32_MAX)
                return LABEL_CACHE_MISS;
        struct memo *nm = reallocarray(c->memo, c->n_memo + 1, sizeof(*nm));
        if (!nm)
                return LABEL_CACHE_MISS;
        c->memo = nm;
        struct memo *e = &c->memo[c->n_memo];
        *e = (struct memo){.type = mode, .n = n, .idx = malloc((n ? n : 1) * sizeof(size_t))};
        if (!e->idx)
                return LABEL_CACHE_MISS;
        memcpy(e->idx, c->scratch, n * sizeof(size_t));
        return (int)c->n_memo++;
}

int label_cache_get(struct label_cache *c, int key, const char **con) {
        if (key < 0 || (size_t)key >= c->n_memo || !c->memo[key].stored)
                return 0;
        *con = c->memo[key].con;
        return 1;
}

int label_cache_put(struct label_cache *c, int key, const char *con) {
        if (key < 0 || (size_t)key >= c->n_memo)
                return -EINVAL;
        struct memo *e = &c->memo[key];
        if (con && !(e->con = strdup(con)))
                return -ENOMEM;
        e->stored = true;
        return 0;
}
