/* SPDX-License-Identifier: MIT */
/* copy_tree on a real tree holding everything a policy tree can hold (and
 * some it should not): the copy is compared entry by entry with the source,
 * metadata included. Needs root (chown, mknod, security.* xattrs). */
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "apply/copy.h"
#include "lib/util.h"

#define LIB_T "system_u:object_r:lib_t:s0"
#define BIG_SIZE (3u * 1024 * 1024 + 17)

struct fx {
        char base[64];
        char src[96], dst[96];
        char shm[64]; /* a second filesystem, if used */
        int basefd;
};

static char *at(const char *dir, const char *rel) {
        static char bufs[4][PATH_MAX];
        static int i;
        char *p = bufs[i++ % 4];
        if (snprintf(p, PATH_MAX, "%s/%s", dir, rel) < 0)
                fail();
        return p;
}

static void mkfile(const char *path, const void *data, size_t len) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        assert_int_equal(close(fd), 0);
}

static void set_meta(const char *path, uid_t uid, gid_t gid, mode_t mode, time_t sec, long nsec) {
        struct stat st;
        if (lchown(path, uid, gid) < 0)
                fail_msg("lchown %s: %s", path, strerror(errno));
        assert_int_equal(lstat(path, &st), 0);
        if (!S_ISLNK(st.st_mode))
                assert_int_equal(chmod(path, mode), 0);
        const struct timespec ts[2] = {{sec - 100, 5}, {sec, nsec}};
        assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static void xset(const char *path, const char *name, const void *val, size_t len) {
        if (lsetxattr(path, name, val, len, 0) < 0)
                fail_msg("lsetxattr %s %s: %s", path, name, strerror(errno));
}

/* A file-capability blob (v2, effective, CAP_NET_BIND_SERVICE). */
static const uint8_t cap_blob[20] = {0x01, 0x00, 0x00, 0x02, 0x00, 0x04};

static void build_source(const char *src, const char *base) {
        static char big[BIG_SIZE];

        for (size_t i = 0; i < sizeof(big); i++)
                big[i] = (char)(i * 7 + i / 4096);
        assert_int_equal(mkdir(src, 0700), 0);

        mkfile(at(src, "plain"), "hello\n", 6);
        xset(at(src, "plain"), "user.foo", "bar", 3);
        xset(at(src, "plain"), "security.selinux", LIB_T, sizeof(LIB_T));
        set_meta(at(src, "plain"), 1234, 5678, 0640, 1000000000, 123456789);

        mkfile(at(src, "big"), big, sizeof(big));
        set_meta(at(src, "big"), 0, 0, 0644, 1100000000, 1);
        mkfile(at(src, "empty"), "", 0);
        set_meta(at(src, "empty"), 0, 0, 0444, 1200000000, 999999999);

        mkfile(at(src, "suid"), "#!/bin/sh\n", 10);
        set_meta(at(src, "suid"), 1234, 5678, 04755, 1300000000, 42);
        mkfile(at(src, "cap"), "\x7f" "ELF", 4);
        /* After set_meta(): its chown would drop the capability. */
        set_meta(at(src, "cap"), 1234, 5678, 0755, 1300000001, 43);
        xset(at(src, "cap"), "security.capability", cap_blob, sizeof(cap_blob));

        assert_int_equal(mkdir(at(src, "sgid"), 0700), 0);
        mkfile(at(src, "sgid/child"), "child", 5);
        set_meta(at(src, "sgid/child"), 1234, 5678, 0664, 1400000000, 7);

        /* Three names for one inode inside the tree... */
        mkfile(at(src, "h1"), "linked", 6);
        assert_int_equal(link(at(src, "h1"), at(src, "sgid/h2")), 0);
        assert_int_equal(link(at(src, "h1"), at(src, "h3")), 0);
        set_meta(at(src, "h1"), 1234, 5678, 0600, 1500000000, 8);
        /* ...and one whose other name is outside it. */
        mkfile(at(src, "ext"), "ext", 3);
        assert_int_equal(link(at(src, "ext"), at(base, "ext-outside")), 0);

        assert_int_equal(symlink("/usr/lib/selinux/nowhere", at(src, "lnk")), 0);
        xset(at(src, "lnk"), "security.selinux", LIB_T, sizeof(LIB_T));
        xset(at(src, "lnk"), "trusted.test", "t", 1);
        set_meta(at(src, "lnk"), 1234, 5678, 0, 1600000000, 9);
        assert_int_equal(mkdir(at(base, "outside"), 0755), 0);
        mkfile(at(base, "outside/secret"), "secret", 6);
        assert_int_equal(symlink(at(base, "outside"), at(src, "dirlink")), 0);

        assert_int_equal(mkfifo(at(src, "fifo"), 0600), 0);
        xset(at(src, "fifo"), "trusted.fifo", "x", 1);
        set_meta(at(src, "fifo"), 1234, 5678, 0620, 1700000000, 10);
        assert_int_equal(mknod(at(src, "null"), S_IFCHR | 0600, makedev(1, 3)), 0);
        set_meta(at(src, "null"), 0, 5678, 0666, 1700000001, 11);

        /* A wide directory (a hundred entries, like the store's module
         * directories) with ten inodes of two names each, far apart in the
         * listing: each is copied once and linked at its second name. */
        assert_int_equal(mkdir(at(src, "wide"), 0755), 0);
        for (int i = 0; i < 100; i++) {
                char rel[32];
                snprintf(rel, sizeof(rel), "wide/%s%03d", i % 10 == 5 ? "d" : "f", i);
                if (i % 10 == 5) {
                        assert_int_equal(mkdir(at(src, rel), 0750), 0);
                        strcat(rel, "/in");
                }
                mkfile(at(src, rel), rel, strlen(rel));
                set_meta(at(src, rel), 1234, 5678, 0640, 1000000000 + i, i);
        }
        for (int i = 0; i < 100; i += 10) {
                char a[32], b[32];
                snprintf(a, sizeof(a), "wide/f%03d", i);
                snprintf(b, sizeof(b), "wide/l%03d", i);
                assert_int_equal(link(at(src, a), at(src, b)), 0);
        }
        assert_int_equal(unlink(at(src, "wide/f099")), 0);
        assert_int_equal(symlink("f000", at(src, "wide/f099")), 0);

        /* Directories made with their final mode (open, open/deep) and one
         * its owner cannot write into, filled first (ro). */
        assert_int_equal(mkdir(at(src, "open"), 0700), 0);
        assert_int_equal(mkdir(at(src, "open/deep"), 0700), 0);
        mkfile(at(src, "open/deep/f"), "deep", 4);
        assert_int_equal(mkdir(at(src, "ro"), 0700), 0);
        mkfile(at(src, "ro/f"), "ro", 2);

        /* Directories last: adding entries moves their mtime. */
        set_meta(at(src, "open/deep"), 0, 0, 0750, 1750000000, 14);
        set_meta(at(src, "open"), 1234, 5678, 0755, 1750000001, 15);
        set_meta(at(src, "ro"), 1234, 5678, 0555, 1750000002, 16);
        for (int i = 5; i < 100; i += 10) {
                char rel[32];
                snprintf(rel, sizeof(rel), "wide/d%03d", i);
                set_meta(at(src, rel), 0, 0, 0750, 1760000000 + i, i);
        }
        set_meta(at(src, "wide"), 0, 0, 0755, 1770000000, 17);
        set_meta(at(src, "sgid"), 1234, 5678, 02775, 1800000000, 12);
        xset(src, "user.top", "top", 3);
        set_meta(src, 0, 0, 0751, 1900000000, 13);
}

static int setup(void **state) {
        struct fx *f = calloc(1, sizeof(*f));
        strcpy(f->base, "/tmp/isel-copy-XXXXXX");
        assert_non_null(mkdtemp(f->base));
        snprintf(f->src, sizeof(f->src), "%s/src", f->base);
        snprintf(f->dst, sizeof(f->dst), "%s/dst", f->base);
        f->basefd = open(f->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(f->basefd >= 0);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fx *f = *state;
        char cmd[128];

        close(f->basefd);
        if (f->shm[0]) {
                if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->shm) < 0)
                        fail();
                assert_int_equal(system(cmd), 0);
        }
        if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->base) < 0)
                fail();
        assert_int_equal(system(cmd), 0);
        free(f);
        return 0;
}

static int cmpstr(const void *a, const void *b) { return strcmp(a, b); }

/* The xattrs of `path` as one sorted "name=value\n..." string. */
static char *xattr_dump(const char *path) {
        static char out[8][8192];
        static int slot;
        char names[4096], sorted[64][256], val[1024];
        size_t n = 0;
        char *o = out[slot++ % 8];

        ssize_t len = llistxattr(path, names, sizeof(names));
        assert_true(len >= 0);
        for (char *p = names; p < names + len; p += strlen(p) + 1) {
                assert_true(n < 64 && strlen(p) < 256);
                memcpy(sorted[n++], p, strlen(p) + 1);
        }
        qsort(sorted, n, sizeof(sorted[0]), cmpstr);
        o[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                ssize_t vl = lgetxattr(path, sorted[i], val, sizeof(val));
                assert_true(vl >= 0);
                size_t ol = strlen(o);
                ol += (size_t)snprintf(o + ol, 8192 - ol, "%s=", sorted[i]);
                for (ssize_t k = 0; k < vl; k++)
                        ol += (size_t)snprintf(o + ol, 8192 - ol, "%02x", (uint8_t)val[k]);
                snprintf(o + ol, 8192 - ol, "\n");
        }
        return o;
}

static void assert_same_content(const char *a, const char *b, off_t size) {
        _cleanup_free_ char *x = malloc((size_t)size + 1), *y = malloc((size_t)size + 1);
        _cleanup_close_ int fa = open(a, O_RDONLY | O_NOFOLLOW);
        _cleanup_close_ int fb = open(b, O_RDONLY | O_NOFOLLOW);
        assert_true(fa >= 0 && fb >= 0);
        size_t got = 0;
        ssize_t n;
        while ((n = read(fa, x + got, (size_t)size + 1 - got)) > 0)
                got += (size_t)n;
        assert_int_equal(got, size);
        got = 0;
        while ((n = read(fb, y + got, (size_t)size + 1 - got)) > 0)
                got += (size_t)n;
        assert_int_equal(got, size);
        assert_memory_equal(x, y, (size_t)size);
}

/* Compares src and dst entry by entry, recursively. */
static void assert_same_tree(const char *s, const char *d) {
        struct stat a, b;

        assert_int_equal(lstat(s, &a), 0);
        if (lstat(d, &b) < 0)
                fail_msg("%s missing in copy", d);
        if (a.st_mode != b.st_mode)
                fail_msg("%s: mode %o != %o", d, b.st_mode, a.st_mode);
        assert_int_equal(a.st_uid, b.st_uid);
        assert_int_equal(a.st_gid, b.st_gid);
        if (a.st_mtim.tv_sec != b.st_mtim.tv_sec || a.st_mtim.tv_nsec != b.st_mtim.tv_nsec)
                fail_msg("%s: mtime %ld.%09ld != %ld.%09ld", d, (long)b.st_mtim.tv_sec,
                         b.st_mtim.tv_nsec, (long)a.st_mtim.tv_sec, a.st_mtim.tv_nsec);
        assert_string_equal(xattr_dump(d), xattr_dump(s));

        if (S_ISREG(a.st_mode)) {
                assert_int_equal(a.st_size, b.st_size);
                assert_same_content(s, d, a.st_size);
        } else if (S_ISLNK(a.st_mode)) {
                char ta[PATH_MAX], tb[PATH_MAX];
                ssize_t la = readlink(s, ta, sizeof(ta)), lb = readlink(d, tb, sizeof(tb));
                assert_true(la > 0);
                assert_int_equal(la, lb);
                assert_memory_equal(ta, tb, (size_t)la);
        } else if (S_ISCHR(a.st_mode) || S_ISBLK(a.st_mode)) {
                assert_int_equal(a.st_rdev, b.st_rdev);
        } else if (S_ISDIR(a.st_mode)) {
                size_t ns = 0, nd = 0;
                DIR *ds = opendir(s), *dd = opendir(d);
                struct dirent *de;
                assert_true(ds && dd);
                while ((de = readdir(dd)))
                        nd++;
                while ((de = readdir(ds))) {
                        ns++;
                        if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                                continue;
                        char cs[PATH_MAX], cd[PATH_MAX];
                        if (snprintf(cs, sizeof(cs), "%s/%s", s, de->d_name) < 0)
                                fail();
                        if (snprintf(cd, sizeof(cd), "%s/%s", d, de->d_name) < 0)
                                fail();
                        assert_same_tree(cs, cd);
                }
                assert_int_equal(ns, nd);
                closedir(ds);
                closedir(dd);
        }
}

static void test_copy_everything(void **state) {
        struct fx *f = *state;
        struct copy_stats st = {99, 99, 99, 99, 99};
        struct stat a, b, c;

        build_source(f->src, f->base);
        _cleanup_close_ int srcfd = open(f->src, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(copy_tree(srcfd, f->basefd, "dst", "/dst", NULL, NULL, &st), 0);

        assert_same_tree(f->src, f->dst);

        /* Spot checks the generic walk above could mask if both sides were
         * wrong the same way (e.g. the source built wrongly). */
        assert_int_equal(lstat(at(f->dst, "sgid"), &a), 0);
        assert_int_equal(a.st_mode & 07777, 02775);
        assert_int_equal(lstat(at(f->dst, "open"), &a), 0);
        assert_true(a.st_mode == (S_IFDIR | 0755) && a.st_uid == 1234 && a.st_mtim.tv_nsec == 15);
        assert_int_equal(lstat(at(f->dst, "open/deep"), &a), 0);
        assert_true(a.st_mode == (S_IFDIR | 0750) && a.st_uid == 0 && a.st_mtim.tv_nsec == 14);
        assert_int_equal(lstat(at(f->dst, "ro"), &a), 0);
        assert_true(a.st_mode == (S_IFDIR | 0555) && a.st_gid == 5678 && a.st_mtim.tv_nsec == 16);
        assert_int_equal(lstat(at(f->dst, "suid"), &a), 0);
        assert_int_equal(a.st_mode & 07777, 04755);
        assert_int_equal(a.st_uid, 1234);
        assert_int_equal(a.st_mtim.tv_nsec, 42);
        uint8_t cap[32];
        assert_int_equal(getxattr(at(f->dst, "cap"), "security.capability", cap, sizeof(cap)),
                         sizeof(cap_blob));
        assert_memory_equal(cap, cap_blob, sizeof(cap_blob));
        char lbl[64];
        assert_int_equal(lgetxattr(at(f->dst, "lnk"), "security.selinux", lbl, sizeof(lbl)),
                         sizeof(LIB_T));
        assert_string_equal(lbl, LIB_T);

        /* Hard links stay links, and only within the tree. */
        assert_int_equal(lstat(at(f->dst, "h1"), &a), 0);
        assert_int_equal(lstat(at(f->dst, "sgid/h2"), &b), 0);
        assert_int_equal(lstat(at(f->dst, "h3"), &c), 0);
        assert_true(a.st_ino == b.st_ino && a.st_ino == c.st_ino);
        assert_int_equal(a.st_nlink, 3);
        assert_int_equal(lstat(at(f->dst, "ext"), &a), 0);
        assert_int_equal(a.st_nlink, 1);
        /* ...also far apart in a wide directory. */
        for (int i = 0; i < 100; i += 10) {
                char fa[32], fb[32];
                snprintf(fa, sizeof(fa), "wide/f%03d", i);
                snprintf(fb, sizeof(fb), "wide/l%03d", i);
                assert_int_equal(lstat(at(f->dst, fa), &a), 0);
                assert_int_equal(lstat(at(f->dst, fb), &b), 0);
                assert_true(a.st_ino == b.st_ino && a.st_nlink == 2);
        }

        /* The link to a directory outside was copied as a link. */
        assert_int_equal(lstat(at(f->dst, "dirlink"), &a), 0);
        assert_true(S_ISLNK(a.st_mode));

        /* plain big empty suid cap child h1 ext fifo null open/deep/f ro/f,
         * and in wide/ 89 files (f099 is a symlink), 10 d/in and 10 links */
        assert_int_equal(st.files, 12 + 89 + 10);
        assert_int_equal(st.dirs, 5 + 1 + 10);
        assert_int_equal(st.symlinks, 3);
        assert_int_equal(st.hardlinks, 2 + 10);
        assert_int_equal(st.bytes, 6 + BIG_SIZE + 0 + 10 + 4 + 5 + 6 + 3 + 4 + 2 + 89 * 9 + 10 * 12);
}

static void test_copy_refuses_existing_destination(void **state) {
        struct fx *f = *state;

        build_source(f->src, f->base);
        assert_int_equal(mkdir(f->dst, 0700), 0);
        mkfile(at(f->dst, "keep"), "keep", 4);
        _cleanup_close_ int srcfd = open(f->src, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(copy_tree(srcfd, f->basefd, "dst", "/dst", NULL, NULL, NULL), -EEXIST);
        assert_int_equal(access(at(f->dst, "plain"), F_OK), -1);
}

/* The walk clears the umask while it creates entries with their final
 * permission bits, and puts it back, after a failure too. */
static void test_copy_restores_umask(void **state) {
        struct fx *f = *state;

        build_source(f->src, f->base);
        _cleanup_close_ int srcfd = open(f->src, O_PATH | O_DIRECTORY | O_CLOEXEC);
        mode_t old = umask(027);
        assert_int_equal(copy_tree(srcfd, f->basefd, "dst", "/dst", NULL, NULL, NULL), 0);
        assert_int_equal(umask(027), 027);
        assert_same_tree(f->src, f->dst);
        assert_int_equal(copy_tree(srcfd, f->basefd, "dst", "/dst", NULL, NULL, NULL), -EEXIST);
        assert_int_equal(umask(old), 027);
}

/* From tmpfs to ext4 neither reflinks nor copy_file_range apply, so this
 * takes the read/write path. */
static void test_copy_across_filesystems(void **state) {
        struct fx *f = *state;
        struct stat st;

        strcpy(f->shm, "/dev/shm/isel-copy-XXXXXX");
        if (stat("/dev/shm", &st) < 0 || !mkdtemp(f->shm)) {
                f->shm[0] = '\0';
                skip();
        }
        char src[PATH_MAX];
        if (snprintf(src, sizeof(src), "%s/src", f->shm) < 0)
                fail();
        build_source(src, f->shm);
        _cleanup_close_ int srcfd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(copy_tree(srcfd, f->basefd, "dst", "/dst", NULL, NULL, NULL), 0);
        assert_same_tree(src, f->dst);
}

int main(void) {
        if (geteuid() != 0) {
                fprintf(stderr, "test-copy needs root (chown, mknod, security.* xattrs)\n");
                return 77;
        }
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_copy_everything, setup, teardown),
                cmocka_unit_test_setup_teardown(test_copy_refuses_existing_destination, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_copy_across_filesystems, setup, teardown),
                cmocka_unit_test_setup_teardown(test_copy_restores_umask, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
