/* SPDX-License-Identifier: MIT */
#include "fcsubset.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcspecs.h"
#include "fsutil.h"
#include "util.h"

/* In libselinux's order: it appends them and then sorts the whole. */
static const char *const spec_files[] = {"file_contexts", "file_contexts.homedirs", "file_contexts.local"};
static const char *const subs_files[] = {"file_contexts.subs_dist", "file_contexts.subs"};
#define SPEC_FILE_MAX (64u * 1024 * 1024)
#define BIN_FILE_MAX (512u * 1024 * 1024)

struct mapping {
        void *addr;
        size_t len;
};

static void unmapp(struct mapping *m) {
        if (m->addr)
                munmap(m->addr, m->len);
}

static void fc_specs_donep(struct fc_specs *s) { fc_specs_done(s); }

bool fc_beneath_any(const char *path, const char *const *roots, size_t n_roots) {
        for (size_t i = 0; i < n_roots; i++)
                if (fc_path_beneath(path, roots[i]))
                        return true;
        return false;
}

/* libselinux rewrites a looked-up path that begins with a substitution's
 * source before matching; the subset holds nothing for where it leads. So
 * any source that is a prefix of a root, or has one as its prefix, rules
 * the subset out. */
static int check_subs(int filesfd, const char *name, const char *const *roots, size_t n_roots) {
        _cleanup_free_ char *text = NULL;
        int r = read_full_at(filesfd, name, SPEC_FILE_MAX, &text, NULL);

        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        for (char *line = text, *end; line && *line; line = end) {
                end = strchr(line, '\n');
                if (end)
                        *end++ = 0;
                char *src = line;
                while (*src && isspace((unsigned char)*src))
                        src++;
                if (!*src || *src == '#')
                        continue;
                size_t n = 0;
                while (src[n] && !isspace((unsigned char)src[n]))
                        n++;
                for (size_t i = 0; i < n_roots; i++) {
                        size_t rl = strlen(roots[i]);
                        if (strncmp(src, roots[i], n < rl ? n : rl) == 0)
                                return -EOPNOTSUPP;
                }
        }
        return 0;
}

static int map_file(int fd, struct mapping *m) {
        struct stat st;

        if (fstat(fd, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > BIN_FILE_MAX)
                return -EINVAL;
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
                return negerrno();
        *m = (struct mapping){p, (size_t)st.st_size};
        return 0;
}

static bool same_spec(const struct fc_spec *a, const struct fc_spec *b) {
        return a->mode == b->mode && a->meta == b->meta && streq(a->re, b->re) && streq(a->ctx, b->ctx);
}

/* The compiled file's wanted specs against the text's, in the order
 * sefcontext_compile wrote them: regexes first, exact paths after. */
static int compare_bin(int binfd, const struct fc_specs *text, const char *const *roots, size_t n_roots) {
        _cleanup_(unmapp) struct mapping m = {0};
        _cleanup_(fc_specs_donep) struct fc_specs bin = {0};
        int r = map_file(binfd, &m);

        if (r < 0)
                return r == -ENOMEM ? r : -EOPNOTSUPP;
        r = fc_specs_from_bin(m.addr, m.len, &bin);
        if (r < 0)
                return r == -ENOMEM ? r : -EOPNOTSUPP;
        size_t j = 0;
        for (int exact = 0; exact <= 1; exact++)
                for (size_t i = 0; i < text->n; i++) {
                        if (text->v[i].meta == (exact != 0))
                                continue;
                        while (j < bin.n && !fc_may_match_beneath_any(bin.v[j].re, roots, n_roots))
                                j++;
                        if (j == bin.n || !same_spec(&text->v[i], &bin.v[j]))
                                return -EOPNOTSUPP;
                        j++;
                }
        while (j < bin.n && !fc_may_match_beneath_any(bin.v[j].re, roots, n_roots))
                j++;
        return j == bin.n ? 0 : -EOPNOTSUPP;
}

/* One spec file: its wanted specs, checked against the compiled file that
 * libselinux would load instead, written to `out`. */
static int subset_of(int filesfd, const char *name, const char *const *roots, size_t n_roots, FILE *out) {
        _cleanup_free_ char *text = NULL, *binname = NULL;
        _cleanup_(fc_specs_donep) struct fc_specs all = {0}, kept = {0};
        struct stat tst, bst;
        int r;

        if (asprintf(&binname, "%s.bin", name) < 0)
                return -ENOMEM;
        _cleanup_close_ int binfd = openat(filesfd, binname, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (binfd < 0 && errno != ENOENT)
                return -EOPNOTSUPP;
        _cleanup_close_ int tfd = openat(filesfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (tfd < 0)
                /* a compiled file alone, or no base file: for the whole to decide */
                return errno == ENOENT && binfd < 0 && name != spec_files[0] ? 0 : -EOPNOTSUPP;
        if (fstat(tfd, &tst) < 0 || !S_ISREG(tst.st_mode))
                return -EOPNOTSUPP;
        r = read_full_fd(tfd, SPEC_FILE_MAX, &text, NULL);
        if (r < 0)
                return r == -ENOMEM ? r : -EOPNOTSUPP;
        r = fc_specs_from_text(text, &all);
        if (r < 0)
                return r == -ENOMEM ? r : -EOPNOTSUPP;
        for (size_t i = 0; i < all.n; i++)
                if (fc_may_match_beneath_any(all.v[i].re, roots, n_roots)) {
                        if (GROW_FOR(kept.v, kept.n, kept.allocated, 64) < 0)
                                return -ENOMEM;
                        kept.v[kept.n++] = all.v[i];
                }
        /* libselinux takes the compiled file when it is as new as the text */
        if (binfd >= 0) {
                if (fstat(binfd, &bst) < 0)
                        return -EOPNOTSUPP;
                if (bst.st_mtime >= tst.st_mtime) {
                        r = compare_bin(binfd, &kept, roots, n_roots);
                        if (r < 0)
                                return r;
                }
        }
        for (size_t i = 0; i < kept.n; i++) {
                const struct fc_spec *s = &kept.v[i];
                const char *t = fc_type_token(s->mode);
                if (fprintf(out, "%s%s%s %s\n", s->re, t ? " " : "", t ? t : "", s->ctx) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int fc_subset_open(int filesfd, const char *const *roots, size_t n_roots, int *memfd) {
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int r = 0;

        if (n_roots == 0)
                return -EOPNOTSUPP;
        for (size_t i = 0; i < ELEMENTSOF(subs_files); i++) {
                r = check_subs(filesfd, subs_files[i], roots, n_roots);
                if (r < 0)
                        return r == -ENOMEM ? r : -EOPNOTSUPP;
        }
        FILE *out = open_memstream(&buf, &len);
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(spec_files); i++)
                r = subset_of(filesfd, spec_files[i], roots, n_roots, out);
        if (fclose(out) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0)
                return r;
        _cleanup_close_ int fd = memfd_create("file_contexts", MFD_CLOEXEC);
        if (fd < 0)
                return negerrno();
        r = write_all(fd, buf, len);
        if (r < 0)
                return r;
        *memfd = TAKE_FD(fd);
        return 0;
}
