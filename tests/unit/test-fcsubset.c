/* SPDX-License-Identifier: MIT */
/* The file_contexts subset (fcsubset.c, fcspecs.c) with Debian's reference
 * policy from /etc/selinux/default: the compiled file read as libselinux
 * reads it, the subset labelling every path beneath its roots as the whole
 * does, and each case where the subset must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fcspecs.h"
#include "fcsubset.h"
#include "fsutil.h"
#include "label.h"
#include "util.h"

#define HOST_FILES "/etc/selinux/default/contexts/files"
#define POLICY_ROOT "/etc/selinux/default"

static const char *const roots[] = {"/etc/selinux/default", "/var/lib/selinux", "/etc/selinux/config"};

static void sh(const char *fmt, ...) {
        char cmd[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cmd, sizeof(cmd), fmt, ap);
        va_end(ap);
        if (system(cmd) != 0)
                fail_msg("failed: %s", cmd);
}

static void test_prefix_rules(void **state) {
        (void)state;
        assert_int_equal(fc_literal_prefix("/etc/selinux(/.*)?"), strlen("/etc/selinux"));
        assert_int_equal(fc_literal_prefix("/etc/dhcp3?/x"), strlen("/etc/dhcp"));
        assert_int_equal(fc_literal_prefix("/var/lib/selinux\\.d"), strlen("/var/lib/selinux"));
        assert_int_equal(fc_literal_prefix(".*"), 0);

        assert_false(fc_alternates("/etc/(a|b)/c"));
        assert_false(fc_alternates("/etc/[|]x"));
        assert_false(fc_alternates("/etc/\\|x"));
        assert_true(fc_alternates("/usr/bin/x|/etc/selinux/y"));
        assert_true(fc_alternates("/etc/(a)|b"));

        assert_true(fc_has_meta("/etc/selinux(/.*)?"));
        assert_false(fc_has_meta("/etc/selinux/config"));
        assert_false(fc_has_meta("/etc/a\\.b")); /* an escaped dot is a plain one */

        const struct {
                const char *re, *root;
                bool may;
        } cases[] = {
                {"/etc/selinux(/.*)?", "/etc/selinux/mcs", true},
                {"/etc/selinux/([^/]*/)?policy(/.*)?", "/etc/selinux/mcs", true},
                {"/etc/selinux/config", "/etc/selinux/config", true},
                {"/etc/selinux/config", "/etc/selinux/mcs", false},
                {"/etc/selinuxfoo(/.*)?", "/etc/selinux", false},
                {"/etc/selinux", "/etc/selinux/mcs", false}, /* only that directory */
                {"/etc", "/etc/selinux", false},
                {"/etc/.*", "/etc/selinux", true},
                {"/etc(/.*)?", "/etc/selinux", true},
                {"/usr/lib/selinux(/.*)?", "/etc/selinux", false},
                {"/var/lib/r?s", "/var/lib/selinux", true}, /* "/var/lib/" then anything */
                {"/usr/bin/x|/etc/selinux/y", "/etc/selinux", true},
                {"/(.*/)?\\.ssh(/.*)?", "/var/lib/selinux", true},
                {"/home/[^/]+", "/var/lib/selinux", false},
                {"/anything", "/", true},
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                if (fc_may_match_beneath(cases[i].re, cases[i].root) != cases[i].may)
                        fail_msg("%s beneath %s: expected %d", cases[i].re, cases[i].root, cases[i].may);

        assert_true(fc_beneath_any("/etc/selinux/config", roots, ELEMENTSOF(roots)));
        assert_true(fc_beneath_any("/var/lib/selinux/default/active", roots, ELEMENTSOF(roots)));
        assert_false(fc_beneath_any("/etc/selinux/configx", roots, ELEMENTSOF(roots)));
        assert_false(fc_beneath_any("/etc/selinux", roots, ELEMENTSOF(roots)));
}

static void test_text_lines(void **state) {
        (void)state;
        struct fc_specs s = {0};
        char ok[] = "# comment\n\n  /a(/.*)?\tsystem_u:object_r:a_t:s0\n/b -d <<none>>\n/c -- x:y:z extra\n";
        assert_int_equal(fc_specs_from_text(ok, &s), 0);
        assert_int_equal(s.n, 3);
        assert_string_equal(s.v[0].re, "/a(/.*)?");
        assert_int_equal(s.v[0].mode, 0);
        assert_true(s.v[0].meta);
        assert_int_equal(s.v[1].mode, S_IFDIR);
        assert_string_equal(s.v[1].ctx, "<<none>>");
        assert_false(s.v[1].meta);
        assert_int_equal(s.v[2].mode, S_IFREG);
        assert_string_equal(s.v[2].ctx, "x:y:z");
        fc_specs_done(&s);

        char one[] = "/a\n", badtype[] = "/a -x ctx\n", ctl[] = "/a\x01 ctx\n";
        assert_int_equal(fc_specs_from_text(one, &s), -EINVAL);
        fc_specs_done(&s);
        assert_int_equal(fc_specs_from_text(badtype, &s), -EINVAL);
        fc_specs_done(&s);
        assert_int_equal(fc_specs_from_text(ctl, &s), -EINVAL);
        fc_specs_done(&s);
}

struct mapped {
        void *p;
        size_t len;
};

static struct mapped map_host(const char *name) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), HOST_FILES "/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        assert_true(fd >= 0);
        assert_int_equal(fstat(fd, &st), 0);
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        assert_true(p != MAP_FAILED);
        close(fd);
        return (struct mapped){p, (size_t)st.st_size};
}

/* Debian's compiled files hold the text's specs, exact paths moved last:
 * the format is read as libselinux reads it. */
static void test_bin_is_text(void **state) {
        (void)state;
        const char *const files[] = {"file_contexts", "file_contexts.homedirs"};
        for (size_t f = 0; f < ELEMENTSOF(files); f++) {
                _cleanup_free_ char *text = NULL, *binname = NULL;
                struct fc_specs t = {0}, b = {0};
                char path[PATH_MAX];
                snprintf(path, sizeof(path), HOST_FILES "/%s", files[f]);
                assert_int_equal(read_full_at(AT_FDCWD, path, 1 << 26, &text, NULL), 0);
                assert_int_equal(fc_specs_from_text(text, &t), 0);
                assert_int_equal(asprintf(&binname, "%s.bin", files[f]) > 0, true);
                struct mapped m = map_host(binname);
                assert_int_equal(fc_specs_from_bin(m.p, m.len, &b), 0);
                assert_int_equal(b.n, t.n);
                assert_true(t.n > 100);
                size_t j = 0;
                for (int exact = 0; exact <= 1; exact++)
                        for (size_t i = 0; i < t.n; i++) {
                                if (t.v[i].meta == (exact != 0))
                                        continue;
                                const struct fc_spec *x = &t.v[i], *y = &b.v[j++];
                                if (!streq(x->re, y->re) || !streq(x->ctx, y->ctx) || x->mode != y->mode ||
                                    x->meta != y->meta)
                                        fail_msg("%s spec %zu: text %s %u %s, compiled %s %u %s", files[f], j,
                                                 x->re, x->mode, x->ctx, y->re, y->mode, y->ctx);
                        }
                /* Every cut of the file is refused, none read out of bounds. */
                for (size_t cut = 0; cut < m.len; cut += cut < 8192 ? 1 : 4093) {
                        struct fc_specs c = {0};
                        assert_int_equal(fc_specs_from_bin(m.p, cut, &c), -EINVAL);
                        fc_specs_done(&c);
                }
                /* A format not known here is not guessed at. */
                _cleanup_free_ unsigned char *copy = malloc(m.len);
                memcpy(copy, m.p, m.len);
                uint32_t v = 3;
                memcpy(copy + 4, &v, 4);
                struct fc_specs c = {0};
                assert_int_equal(fc_specs_from_bin(copy, m.len, &c), -EOPNOTSUPP);
                munmap(m.p, m.len);
                fc_specs_done(&t);
                fc_specs_done(&b);
        }
}

/* A copy of the host's contexts/files in a policy directory of its own. */
struct fx {
        char base[64];
        char files[128];
        int policyfd, filesfd;
};

static int setup(void **state) {
        struct fx *f = calloc(1, sizeof(*f));
        strcpy(f->base, "/tmp/isel-fcsubset-XXXXXX");
        assert_non_null(mkdtemp(f->base));
        snprintf(f->files, sizeof(f->files), "%s/contexts/files", f->base);
        sh("mkdir -p %s && cp -a " HOST_FILES "/. %s/", f->files, f->files);
        f->policyfd = open(f->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
        f->filesfd = open(f->files, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(f->policyfd >= 0 && f->filesfd >= 0);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fx *f = *state;
        close(f->policyfd);
        close(f->filesfd);
        sh("rm -rf '%s'", f->base);
        free(f);
        return 0;
}

/* Makes `name` in the copy older than `than` by 100 s. */
static void older(struct fx *f, const char *name, const char *than) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", f->files, than);
        assert_int_equal(stat(path, &st), 0);
        struct timespec ts[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = st.st_mtime - 100}};
        snprintf(path, sizeof(path), "%s/%s", f->files, name);
        assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Every path of the trees at `dir` on this host (as `as`), of its type,
 * and a few names that are not there. */
struct pathlist {
        char **p;
        mode_t *mode;
        size_t n, allocated;
};

static void add_path(struct pathlist *l, const char *p, mode_t mode) {
        assert_int_equal(GROW_FOR(l->p, l->n, l->allocated, 256), 0);
        l->mode = reallocarray(l->mode, l->allocated, sizeof(mode_t));
        l->p[l->n] = strdup(p);
        l->mode[l->n++] = mode;
}

static void walk(struct pathlist *l, const char *dir, const char *as) {
        DIR *d = opendir(dir);
        struct dirent *de;
        if (!d)
                return;
        while ((de = readdir(d))) {
                char p[PATH_MAX], q[PATH_MAX];
                struct stat st;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
                snprintf(q, sizeof(q), "%s/%s", as, de->d_name);
                if (lstat(p, &st) < 0)
                        continue;
                add_path(l, q, st.st_mode & S_IFMT);
                if (S_ISDIR(st.st_mode))
                        walk(l, p, q);
        }
        closedir(d);
}

static void all_paths(struct pathlist *l) {
        static const mode_t modes[] = {S_IFREG, S_IFDIR, S_IFLNK, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK, 0};
        const char *const extra[] = {
                "/etc/selinux/default", "/var/lib/selinux", "/etc/selinux/config",
                "/var/lib/selinux/default/semanage.read.LOCK", "/var/lib/selinux/default/active/x.pp",
                "/var/lib/selinux/final/default/policy/policy.33", "/etc/selinux/default/.ssh",
                "/etc/selinux/default/a b", "/var/lib/selinux/lost+found",
                /* elsewhere: the whole answers these */
                "/usr/bin/ls", "/tmp/x", "/root/.ssh/authorized_keys", "/etc/shadow", "/etc/selinux",
                "/var/lib/selinuxfoo", "/etc/selinux/semanage.conf",
        };
        for (size_t i = 0; i < ELEMENTSOF(extra); i++)
                for (size_t m = 0; m < ELEMENTSOF(modes); m++)
                        add_path(l, extra[i], modes[m]);
        walk(l, POLICY_ROOT, "/etc/selinux/default");
        walk(l, "/var/lib/selinux", "/var/lib/selinux");
        assert_true(l->n > 1000);
}

static void pathlist_done(struct pathlist *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->p[i]);
        free(l->p);
        free(l->mode);
}

/* The labeler for the roots gives every path what the whole gives. */
static void assert_labels_as_whole(struct fx *f) {
        struct labeler *whole = NULL, *part = NULL;
        struct pathlist l = {0};

        assert_int_equal(labeler_open(f->policyfd, &whole), 0);
        assert_int_equal(labeler_open_for(f->policyfd, roots, ELEMENTSOF(roots), &part), 0);
        all_paths(&l);
        for (size_t i = 0; i < l.n; i++) {
                _cleanup_free_ char *a = NULL, *b = NULL;
                int ra = label_lookup(whole, l.p[i], l.mode[i], &a);
                int rb = label_lookup(part, l.p[i], l.mode[i], &b);
                if (ra != rb || (ra == 0 && !streq(a, b)))
                        fail_msg("%s (%o): whole %d %s, subset %d %s", l.p[i], l.mode[i], ra, a ? a : "-", rb,
                                 b ? b : "-");
        }
        pathlist_done(&l);
        labeler_free(whole);
        labeler_free(part);
}

static size_t subset_lines(struct fx *f, int *r) {
        int fd = -1;
        *r = fc_subset_open(f->filesfd, roots, ELEMENTSOF(roots), &fd);
        if (*r < 0)
                return 0;
        _cleanup_free_ char *text = NULL;
        size_t len, n = 0;
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        assert_int_equal(read_full_fd(fd, 1 << 26, &text, &len), 0);
        close(fd);
        for (size_t i = 0; i < len; i++)
                n += text[i] == '\n';
        return n;
}

/* What fc_subset_open() says for the copy: 0 or -EOPNOTSUPP. */
static int subset_result(struct fx *f) {
        int r;
        subset_lines(f, &r);
        return r;
}

/* The subset is taken (not the whole), labels as the whole does, and gives
 * `path` the context `want`. */
static void assert_subset_used_and_gives(struct fx *f, const char *path, const char *want) {
        int r;
        size_t n = subset_lines(f, &r);
        assert_int_equal(r, 0);
        assert_true(n > 5);
        assert_labels_as_whole(f);
        struct labeler *l = NULL;
        assert_int_equal(labeler_open_for(f->policyfd, roots, ELEMENTSOF(roots), &l), 0);
        _cleanup_free_ char *con = NULL;
        assert_int_equal(label_lookup(l, path, S_IFREG, &con), 0);
        assert_string_equal(con, want);
        labeler_free(l);
}

static void test_subset_as_whole(void **state) {
        struct fx *f = *state;
        int r;
        size_t n = subset_lines(f, &r);
        assert_int_equal(r, 0);
        print_message("%zu specs in the subset\n", n);
        /* a few dozen of Debian's ~5,600 */
        assert_true(n > 5 && n < 200);
        assert_labels_as_whole(f);
}

static void append(struct fx *f, const char *name, const char *line) {
        sh("printf '%%s\\n' '%s' >> %s/%s", line, f->files, name);
}

/* A compiled file libselinux prefers, from another text: refused where
 * the difference is beneath a root, kept where it is not. */
static void test_bin_differs(void **state) {
        struct fx *f = *state;
        append(f, "file_contexts", "/srv/other(/.*)? system_u:object_r:etc_t:s0");
        older(f, "file_contexts", "file_contexts.bin");
        assert_int_equal(subset_result(f), 0);
        append(f, "file_contexts", "/var/lib/selinux/default/x -- system_u:object_r:etc_t:s0");
        older(f, "file_contexts", "file_contexts.bin");
        assert_int_equal(subset_result(f), -EOPNOTSUPP);
        assert_labels_as_whole(f);
}

/* The same mtime: libselinux takes the compiled file. */
static void test_same_mtime(void **state) {
        struct fx *f = *state;
        char t[PATH_MAX], b[PATH_MAX];

        append(f, "file_contexts", "/var/lib/selinux/default/x -- system_u:object_r:etc_t:s0");
        snprintf(t, sizeof(t), "%s/file_contexts", f->files);
        snprintf(b, sizeof(b), "%s/file_contexts.bin", f->files);
        sh("touch -r %s %s", b, t);
        assert_int_equal(subset_result(f), -EOPNOTSUPP);
        assert_labels_as_whole(f);
}

/* Compiled from its text by sefcontext_compile, with an exact path before
 * a regex beneath a root: the compiled file holds them the other way round
 * (exact paths last), and the subset is still shown equal. */
static void test_recompiled(void **state) {
        struct fx *f = *state;

        sh("sed -i '1i /var/lib/selinux/default/exact -- system_u:object_r:etc_t:s0' %s/file_contexts", f->files);
        append(f, "file_contexts", "/var/lib/selinux/default/ex.* -- system_u:object_r:bin_t:s0");
        sh("sefcontext_compile %s/file_contexts && touch -r %s/file_contexts %s/file_contexts.bin", f->files,
           f->files, f->files);
        assert_subset_used_and_gives(f, "/var/lib/selinux/default/exact", "system_u:object_r:etc_t:s0");
}

/* A text newer than its compiled file is what libselinux reads: the subset
 * follows it. */
static void test_text_newer(void **state) {
        struct fx *f = *state;
        append(f, "file_contexts", "/var/lib/selinux/default/x -- system_u:object_r:etc_t:s0");
        older(f, "file_contexts.bin", "file_contexts");
        assert_subset_used_and_gives(f, "/var/lib/selinux/default/x", "system_u:object_r:etc_t:s0");
}

static void test_local_file(void **state) {
        struct fx *f = *state;
        int r;
        append(f, "file_contexts.local", "/etc/selinux/default/mine -- system_u:object_r:etc_t:s0");
        append(f, "file_contexts.local", "/opt/mine -- system_u:object_r:etc_t:s0");
        size_t n = subset_lines(f, &r);
        assert_int_equal(r, 0);
        assert_true(n > 5);
        assert_labels_as_whole(f);
}

/* Substitutions rewrite a path before it is matched: one that touches a
 * root rules the subset out; others do not. */
static void test_subs(void **state) {
        struct fx *f = *state;
        append(f, "file_contexts.subs", "/srv/x /var/lib");
        assert_int_equal(subset_result(f), 0);
        append(f, "file_contexts.subs", "/var/lib/selinux /srv");
        assert_int_equal(subset_result(f), -EOPNOTSUPP);
        assert_labels_as_whole(f);
        sh("printf '/var /srv\\n' > %s/file_contexts.subs", f->files);
        assert_int_equal(subset_result(f), -EOPNOTSUPP);
        assert_labels_as_whole(f);
}

static void test_refused(void **state) {
        struct fx *f = *state;
        /* a compiled file alone */
        sh("rm %s/file_contexts.homedirs", f->files);
        assert_int_equal(subset_result(f), -EOPNOTSUPP);
        assert_labels_as_whole(f);
        sh("cp -a " HOST_FILES "/file_contexts.homedirs %s/", f->files);
        assert_int_equal(subset_result(f), 0);
        /* a line libselinux would refuse, in a text it reads */
        append(f, "file_contexts.local", "/etc/x -z system_u:object_r:etc_t:s0");
        assert_int_equal(subset_result(f), -EOPNOTSUPP);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_prefix_rules),
                cmocka_unit_test(test_text_lines),
                cmocka_unit_test(test_bin_is_text),
                cmocka_unit_test_setup_teardown(test_subset_as_whole, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bin_differs, setup, teardown),
                cmocka_unit_test_setup_teardown(test_same_mtime, setup, teardown),
                cmocka_unit_test_setup_teardown(test_recompiled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_text_newer, setup, teardown),
                cmocka_unit_test_setup_teardown(test_local_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_subs, setup, teardown),
                cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
