/* SPDX-License-Identifier: MIT */
/* root.c against a real directory tree with a decoy outside the root: every
 * lookup that would reach the decoy on the host must stay in the root. */
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
#include <unistd.h>

#include "lib/root.h"
#include "lib/util.h"

struct fx {
        char base[64];
        char root[96];
        int rootfd;
};

static void mkfile(const char *dir, const char *rel, const char *content) {
        char p[PATH_MAX];
        if (snprintf(p, sizeof(p), "%s/%s", dir, rel) < 0)
                fail();
        FILE *f = fopen(p, "we");
        assert_non_null(f);
        fputs(content, f);
        assert_int_equal(fclose(f), 0);
}

static void mkdir_at(const char *dir, const char *rel) {
        char p[PATH_MAX];
        if (snprintf(p, sizeof(p), "%s/%s", dir, rel) < 0)
                fail();
        assert_int_equal(mkdir(p, 0755), 0);
}

static void mklink(const char *dir, const char *rel, const char *target) {
        char p[PATH_MAX];
        if (snprintf(p, sizeof(p), "%s/%s", dir, rel) < 0)
                fail();
        assert_int_equal(symlink(target, p), 0);
}

static char *slurp_fd(int fd) {
        static char buf[256];
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        assert_true(n >= 0);
        buf[n] = '\0';
        return buf;
}

static int setup(void **state) {
        struct fx *f = calloc(1, sizeof(*f));
        char hostabs[PATH_MAX];

        strcpy(f->base, "/tmp/isel-root-XXXXXX");
        assert_non_null(mkdtemp(f->base));
        snprintf(f->root, sizeof(f->root), "%s/root", f->base);
        mkdir_at(f->base, "root");
        mkfile(f->base, "decoy.txt", "HOST");
        mkfile(f->root, "decoy.txt", "TARGET");
        mkdir_at(f->root, "usr");
        mkdir_at(f->root, "usr/lib");
        mkdir_at(f->root, "usr/lib/selinux");
        mkdir_at(f->root, "usr/lib/selinux/mcs");
        mkfile(f->root, "usr/lib/selinux/mcs/config", "SELINUXTYPE=mcs");
        mkdir_at(f->root, "etc");
        mkdir_at(f->root, "etc/selinux");
        mkfile(f->root, "etc/selinux/config", "SELINUX=enforcing");
        mklink(f->root, "etc/selinux/mcs_abs", "/usr/lib/selinux/mcs");
        mklink(f->root, "etc/selinux/mcs_rel", "../../usr/lib/selinux/mcs");
        mklink(f->root, "etc/selinux/mcs_escape", "../../../../../../../../usr/lib/selinux/mcs");
        mklink(f->root, "etc/selinux/dangling", "/usr/lib/selinux/nope");
        mklink(f->root, "etc/abs_decoy", "/decoy.txt");
        mklink(f->root, "etc/rel_decoy", "../../decoy.txt");
        mklink(f->root, "etc/chain", "abs_decoy");
        if (snprintf(hostabs, sizeof(hostabs), "%s/decoy.txt", f->base) < 0)
                fail();
        mklink(f->root, "etc/hostabs_decoy", hostabs);
        mklink(f->root, "etclink", "etc");

        f->rootfd = root_open(f->root);
        assert_true(f->rootfd >= 0);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fx *f = *state;
        char cmd[128];

        close(f->rootfd);
        if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->base) < 0)
                fail();
        assert_int_equal(system(cmd), 0);
        free(f);
        return 0;
}

static void assert_reads(int rootfd, const char *path, const char *want) {
        _cleanup_close_ int fd = root_open_in(rootfd, path, O_RDONLY);
        if (fd < 0)
                fail_msg("%s: %s", path, strerror(-fd));
        assert_string_equal(slurp_fd(fd), want);
}

static void test_open_in_plain_paths(void **state) {
        struct fx *f = *state;

        assert_reads(f->rootfd, "/usr/lib/selinux/mcs/config", "SELINUXTYPE=mcs");
        assert_reads(f->rootfd, "usr/lib/selinux/mcs/config", "SELINUXTYPE=mcs");
        assert_reads(f->rootfd, "//etc/selinux/config", "SELINUX=enforcing");
}

static void test_open_in_symlinks_stay_inside(void **state) {
        struct fx *f = *state;
        char p[PATH_MAX];

        /* Prove the decoy is what the host would read through these links,
         * so reading TARGET below means the resolution stayed inside. */
        if (snprintf(p, sizeof(p), "%s/etc/rel_decoy", f->root) < 0)
                fail();
        _cleanup_close_ int hostfd = open(p, O_RDONLY);
        assert_true(hostfd >= 0);
        assert_string_equal(slurp_fd(hostfd), "HOST");

        assert_reads(f->rootfd, "/etc/selinux/mcs_abs/config", "SELINUXTYPE=mcs");
        assert_reads(f->rootfd, "/etc/selinux/mcs_rel/config", "SELINUXTYPE=mcs");
        assert_reads(f->rootfd, "/etc/selinux/mcs_escape/config", "SELINUXTYPE=mcs");
        assert_reads(f->rootfd, "/etc/abs_decoy", "TARGET");
        assert_reads(f->rootfd, "/etc/rel_decoy", "TARGET");
        assert_reads(f->rootfd, "/etc/chain", "TARGET");
        assert_reads(f->rootfd, "../../decoy.txt", "TARGET");
        assert_reads(f->rootfd, "/etclink/selinux/mcs_rel/config", "SELINUXTYPE=mcs");
        /* The host's absolute path means nothing inside the root. */
        assert_int_equal(root_open_in(f->rootfd, "/etc/hostabs_decoy", O_RDONLY), -ENOENT);
}

static void test_open_in_refuses_create(void **state) {
        struct fx *f = *state;

        assert_int_equal(root_open_in(f->rootfd, "/etc/new", O_WRONLY | O_CREAT), -EINVAL);
        assert_int_equal(root_open_in(f->rootfd, "/etc", O_RDWR | O_TMPFILE), -EINVAL);
        /* O_DIRECTORY shares bits with O_TMPFILE; it must still work. */
        _cleanup_close_ int fd = root_open_in(f->rootfd, "/etc/selinux/mcs_rel", O_PATH | O_DIRECTORY);
        assert_true(fd >= 0);
        assert_int_equal(access("/tmp/new", F_OK), -1);
}

static void assert_realpath(int rootfd, const char *path, const char *want) {
        _cleanup_free_ char *got = NULL;
        int r = root_realpath(rootfd, path, &got);
        if (r < 0)
                fail_msg("%s: %s", path, strerror(-r));
        assert_string_equal(got, want);
}

static void test_realpath(void **state) {
        struct fx *f = *state;
        char *got = NULL;

        assert_realpath(f->rootfd, "/etc/selinux/mcs_abs", "/usr/lib/selinux/mcs");
        assert_realpath(f->rootfd, "/etc/selinux/mcs_rel", "/usr/lib/selinux/mcs");
        assert_realpath(f->rootfd, "etc/selinux/mcs_escape", "/usr/lib/selinux/mcs");
        assert_realpath(f->rootfd, "/etc/selinux/mcs_rel/config", "/usr/lib/selinux/mcs/config");
        assert_realpath(f->rootfd, "/etclink/selinux", "/etc/selinux");
        assert_realpath(f->rootfd, "/etc/rel_decoy", "/decoy.txt");
        assert_realpath(f->rootfd, "/", "/");
        assert_realpath(f->rootfd, "/..", "/");
        assert_int_equal(root_realpath(f->rootfd, "/etc/selinux/dangling", &got), -ENOENT);
        assert_null(got);
}

static void test_realpath_root_given_through_symlink(void **state) {
        struct fx *f = *state;
        char link[PATH_MAX];

        if (snprintf(link, sizeof(link), "%s/rootlink", f->base) < 0)

                fail();
        assert_int_equal(symlink("root", link), 0);
        _cleanup_close_ int fd = root_open(link);
        assert_true(fd >= 0);
        assert_realpath(fd, "/etc/selinux/mcs_rel", "/usr/lib/selinux/mcs");
}

static void test_parent_nofollow(void **state) {
        struct fx *f = *state;
        const char *base = NULL;
        struct stat a, b;
        char p[PATH_MAX];

        _cleanup_close_ int fd = root_open_parent_nofollow(f->rootfd, "/etc/selinux/config", &base);
        assert_true(fd >= 0);
        assert_string_equal(base, "config");
        if (snprintf(p, sizeof(p), "%s/etc/selinux", f->root) < 0)
                fail();
        assert_int_equal(stat(p, &a), 0);
        assert_int_equal(fstat(fd, &b), 0);
        assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);

        _cleanup_close_ int top = root_open_parent_nofollow(f->rootfd, "/decoy.txt", &base);
        assert_true(top >= 0);
        assert_string_equal(base, "decoy.txt");

        /* The final component may be a link (it is what gets replaced). */
        _cleanup_close_ int lnk = root_open_parent_nofollow(f->rootfd, "etc/selinux/mcs_rel", &base);
        assert_true(lnk >= 0);
        assert_string_equal(base, "mcs_rel");

        assert_int_equal(root_open_parent_nofollow(f->rootfd, "/etc/selinux/mcs_rel/config", &base),
                         -ELOOP);
        assert_int_equal(root_open_parent_nofollow(f->rootfd, "/etc/selinux/mcs_abs/config", &base),
                         -ELOOP);
        assert_int_equal(root_open_parent_nofollow(f->rootfd, "/etclink/selinux/config", &base),
                         -ELOOP);
        assert_int_equal(root_open_parent_nofollow(f->rootfd, "../../decoy.txt", &base), -EXDEV);
        assert_int_equal(root_open_parent_nofollow(f->rootfd, "/etc/selinux/", &base), -EINVAL);
        assert_int_equal(root_open_parent_nofollow(f->rootfd, "/etc/..", &base), -EINVAL);
        assert_int_equal(root_open_parent_nofollow(f->rootfd, "/", &base), -EINVAL);
}

static void test_lstat(void **state) {
        struct fx *f = *state;
        struct stat st;

        assert_int_equal(root_lstat(f->rootfd, "/etc/selinux/mcs_rel", &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_int_equal(root_lstat(f->rootfd, "/etc/selinux/config", &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(root_lstat(f->rootfd, "/", &st), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_int_equal(root_lstat(f->rootfd, "/etc/selinux/mcs_rel/config", &st), -ELOOP);
        assert_int_equal(root_lstat(f->rootfd, "/etc/nope", &st), -ENOENT);
        assert_int_equal(root_lstat(f->rootfd, "/nope/nope", &st), -ENOENT);
        assert_int_equal(root_lstat(f->rootfd, "/../decoy.txt", &st), -EXDEV);
}

static void test_readlink(void **state) {
        struct fx *f = *state;
        _cleanup_free_ char *t1 = NULL, *t2 = NULL;
        char *t3 = NULL;

        assert_int_equal(root_readlink(f->rootfd, "/etc/selinux/mcs_rel", &t1), 0);
        assert_string_equal(t1, "../../usr/lib/selinux/mcs");
        assert_int_equal(root_readlink(f->rootfd, "etc/selinux/mcs_abs", &t2), 0);
        assert_string_equal(t2, "/usr/lib/selinux/mcs");
        assert_int_equal(root_readlink(f->rootfd, "/etc/selinux/config", &t3), -EINVAL);
        assert_int_equal(root_readlink(f->rootfd, "/etclink/selinux/mcs_rel", &t3), -ELOOP);
        assert_null(t3);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_open_in_plain_paths, setup, teardown),
                cmocka_unit_test_setup_teardown(test_open_in_symlinks_stay_inside, setup, teardown),
                cmocka_unit_test_setup_teardown(test_open_in_refuses_create, setup, teardown),
                cmocka_unit_test_setup_teardown(test_realpath, setup, teardown),
                cmocka_unit_test_setup_teardown(test_realpath_root_given_through_symlink, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_parent_nofollow, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lstat, setup, teardown),
                cmocka_unit_test_setup_teardown(test_readlink, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
