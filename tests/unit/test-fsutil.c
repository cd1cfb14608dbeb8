/* SPDX-License-Identifier: MIT */
/* fsutil.c on real temp directories: atomic replacement of files and
 * symlinks, staging leftovers, removal without following links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/util.h"

#define LABEL "system_u:object_r:selinux_config_t:s0"

struct fx {
        char base[64];
        int dirfd; /* O_PATH, as callers hold them */
};

static void path_of(const struct fx *f, const char *rel, char *out) {
        if (snprintf(out, PATH_MAX, "%s/%s", f->base, rel) < 0)
                fail();
}

static void mkfile(const struct fx *f, const char *rel, const char *content) {
        char p[PATH_MAX];
        path_of(f, rel, p);
        FILE *fp = fopen(p, "we");
        assert_non_null(fp);
        fputs(content, fp);
        assert_int_equal(fclose(fp), 0);
}

static char *slurp(const struct fx *f, const char *rel) {
        static char buf[256];
        char p[PATH_MAX];
        path_of(f, rel, p);
        int fd = open(p, O_RDONLY | O_NOFOLLOW);
        assert_true(fd >= 0);
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        assert_true(n >= 0);
        buf[n] = '\0';
        close(fd);
        return buf;
}

static bool exists(const struct fx *f, const char *rel) {
        struct stat st;
        char p[PATH_MAX];
        path_of(f, rel, p);
        return lstat(p, &st) == 0;
}

static int setup(void **state) {
        struct fx *f = calloc(1, sizeof(*f));
        strcpy(f->base, "/tmp/isel-fsutil-XXXXXX");
        assert_non_null(mkdtemp(f->base));
        f->dirfd = open(f->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(f->dirfd >= 0);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fx *f = *state;
        char cmd[128];

        close(f->dirfd);
        if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->base) < 0)
                fail();
        assert_int_equal(system(cmd), 0);
        free(f);
        return 0;
}

static void test_staged_name(void **state) {
        char *s = NULL, longname[300];

        assert_int_equal(staged_name("config", &s), 0);
        assert_string_equal(s, ".config.ignition-selinux");
        free(s);
        s = NULL;
        assert_int_equal(staged_name("a/b", &s), -EINVAL);
        assert_int_equal(staged_name("", &s), -EINVAL);
        memset(longname, 'x', 250);
        longname[250] = '\0';
        assert_int_equal(staged_name(longname, &s), -ENAMETOOLONG);
        assert_null(s);
}

static void test_read_full(void **state) {
        struct fx *f = *state;
        _cleanup_free_ char *buf = NULL;
        char *none = NULL, p[PATH_MAX];
        size_t len = 0;

        mkfile(f, "data", "0123456789");
        assert_int_equal(read_full_at(f->dirfd, "data", 100, &buf, &len), 0);
        assert_int_equal(len, 10);
        assert_string_equal(buf, "0123456789");
        assert_int_equal(read_full_at(f->dirfd, "data", 9, &none, &len), -EFBIG);
        assert_null(none);

        path_of(f, "link", p);
        assert_int_equal(symlink("data", p), 0);
        assert_int_equal(read_full_at(f->dirfd, "link", 100, &none, &len), -ELOOP);
        path_of(f, "fifo", p);
        assert_int_equal(mkfifo(p, 0600), 0);
        assert_int_equal(read_full_at(f->dirfd, "fifo", 100, &none, &len), -EINVAL);
        assert_int_equal(read_full_at(f->dirfd, "missing", 100, &none, &len), -ENOENT);
        assert_null(none);
}

static void test_read_full_large_and_empty(void **state) {
        struct fx *f = *state;
        _cleanup_free_ char *big = malloc(300000), *back = NULL, *empty = NULL;
        char p[PATH_MAX];
        size_t len;

        for (size_t i = 0; i < 300000; i++)
                big[i] = (char)('a' + i % 26);
        path_of(f, "big", p);
        _cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
        assert_int_equal(write_all(fd, big, 300000), 0);
        assert_int_equal(read_full_at(f->dirfd, "big", 300000, &back, &len), 0);
        assert_int_equal(len, 300000);
        assert_memory_equal(back, big, 300000);

        mkfile(f, "empty", "");
        assert_int_equal(read_full_at(f->dirfd, "empty", 10, &empty, &len), 0);
        assert_int_equal(len, 0);
        assert_string_equal(empty, "");
}

/* A file written as apply writes one, less the flush between the halves
 * (commit.c orders those): staged beside, then published over `name`. */
static int write_staged(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
                        uid_t uid, gid_t gid, const char *label, const char *tag) {
        _cleanup_free_ char *staged = NULL;
        int r = stage_file_at(dirfd, name, buf, len, mode, uid, gid, label, tag, &staged);

        return r < 0 ? r : publish_staged_at(dirfd, staged, name, 0);
}

static void test_stage_publish_new_file(void **state) {
        struct fx *f = *state;
        char p[PATH_MAX], label[256];
        struct stat st;

        assert_int_equal(write_staged(f->dirfd, "config", "SELINUX=permissive\n", 19, 04751, 1234,
                                      5678, LABEL, NULL),
                         0);
        assert_string_equal(slurp(f, "config"), "SELINUX=permissive\n");
        path_of(f, "config", p);
        assert_int_equal(lstat(p, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_mode & 07777, 04751);
        assert_int_equal(st.st_uid, 1234);
        assert_int_equal(st.st_gid, 5678);
        ssize_t n = lgetxattr(p, "security.selinux", label, sizeof(label));
        assert_int_equal(n, sizeof(LABEL));
        assert_string_equal(label, LABEL);
        assert_false(exists(f, ".config.ignition-selinux"));
}

static void test_stage_publish_replaces_symlink_not_target(void **state) {
        struct fx *f = *state;
        char p[PATH_MAX], t[PATH_MAX];
        struct stat st;

        assert_int_equal(mkdir(strcat(strcpy(p, f->base), "/usr"), 0755), 0);
        mkfile(f, "usr/config", "ORIGINAL");
        path_of(f, "usr/config", t);
        path_of(f, "config", p);
        assert_int_equal(symlink(t, p), 0);

        assert_int_equal(write_staged(f->dirfd, "config", "NEW", 3, 0644, 0, 0, NULL, NULL), 0);
        assert_int_equal(lstat(p, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_string_equal(slurp(f, "config"), "NEW");
        assert_string_equal(slurp(f, "usr/config"), "ORIGINAL");
        assert_int_equal(lgetxattr(p, "security.selinux", t, sizeof(t)), -1);
        assert_int_equal(errno, ENODATA);
        assert_false(exists(f, ".config.ignition-selinux"));
}

static void test_stage_publish_removes_stale_stage(void **state) {
        struct fx *f = *state;
        char p[PATH_MAX];

        mkfile(f, "usr_target", "KEEP");
        path_of(f, ".config.ignition-selinux", p);
        /* A stale stage that is a link must be removed, not written through. */
        assert_int_equal(symlink("usr_target", p), 0);
        assert_int_equal(write_staged(f->dirfd, "config", "X", 1, 0600, 0, 0, NULL, NULL), 0);
        assert_string_equal(slurp(f, "config"), "X");
        assert_string_equal(slurp(f, "usr_target"), "KEEP");
        assert_false(exists(f, ".config.ignition-selinux"));

        /* And one that is a whole directory. */
        assert_int_equal(mkdir(p, 0700), 0);
        mkfile(f, ".config.ignition-selinux/junk", "junk");
        assert_int_equal(write_staged(f->dirfd, "config", "Y", 1, 0600, 0, 0, NULL, NULL), 0);
        assert_string_equal(slurp(f, "config"), "Y");
        assert_false(exists(f, ".config.ignition-selinux"));
}

static void test_stage_publish_failure_leaves_nothing(void **state) {
        struct fx *f = *state;
        char p[PATH_MAX];

        path_of(f, "config", p);
        assert_int_equal(mkdir(p, 0755), 0);
        mkfile(f, "config/inner", "inner");
        int r = write_staged(f->dirfd, "config", "X", 1, 0644, 0, 0, NULL, NULL);
        assert_true(r == -EISDIR || r == -ENOTEMPTY || r == -EEXIST);
        assert_false(exists(f, ".config.ignition-selinux"));
        assert_string_equal(slurp(f, "config/inner"), "inner");

        /* A failure after staging (a label too big for any xattr) must
         * leave neither the stage nor the target behind. */
        _cleanup_free_ char *huge = malloc(70000);
        memset(huge, 'a', 69999);
        huge[69999] = '\0';
        r = write_staged(f->dirfd, "other", "X", 1, 0644, 0, 0, huge, NULL);
        assert_true(r < 0);
        assert_false(exists(f, "other"));
        assert_false(exists(f, ".other.ignition-selinux"));
}

static void test_stage_publish_plain_dirfd(void **state) {
        struct fx *f = *state;

        _cleanup_close_ int fd = open(f->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write_staged(fd, "plain", "P", 1, 0644, 0, 0, NULL, NULL), 0);
        assert_string_equal(slurp(f, "plain"), "P");
}

static void test_rm_rf_does_not_follow(void **state) {
        struct fx *f = *state;
        char p[PATH_MAX], t[PATH_MAX];

        assert_int_equal(mkdir(strcat(strcpy(p, f->base), "/outside"), 0755), 0);
        mkfile(f, "outside/precious", "precious");
        assert_int_equal(mkdir(strcat(strcpy(p, f->base), "/tree"), 0755), 0);
        assert_int_equal(mkdir(strcat(strcpy(p, f->base), "/tree/sub"), 0555), 0);
        mkfile(f, "tree/file", "x");
        path_of(f, "outside", t);
        path_of(f, "tree/abs", p);
        assert_int_equal(symlink(t, p), 0);
        path_of(f, "tree/rel", p);
        assert_int_equal(symlink("../outside", p), 0);
        path_of(f, "tree/fifo", p);
        assert_int_equal(mkfifo(p, 0600), 0);

        assert_int_equal(rm_rf_at(f->dirfd, "tree"), 0);
        assert_false(exists(f, "tree"));
        assert_string_equal(slurp(f, "outside/precious"), "precious");
        assert_int_equal(rm_rf_at(f->dirfd, "tree"), 0);

        /* A symlink to a directory is removed itself. */
        path_of(f, "dirlink", p);
        assert_int_equal(symlink("outside", p), 0);
        assert_int_equal(rm_rf_at(f->dirfd, "dirlink"), 0);
        assert_false(exists(f, "dirlink"));
        assert_string_equal(slurp(f, "outside/precious"), "precious");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_staged_name),
                cmocka_unit_test_setup_teardown(test_read_full, setup, teardown),
                cmocka_unit_test_setup_teardown(test_read_full_large_and_empty, setup, teardown),
                cmocka_unit_test_setup_teardown(test_stage_publish_new_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_stage_publish_replaces_symlink_not_target,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_stage_publish_removes_stale_stage, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_stage_publish_failure_leaves_nothing, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_stage_publish_plain_dirfd, setup, teardown),
                cmocka_unit_test_setup_teardown(test_rm_rf_does_not_follow, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
