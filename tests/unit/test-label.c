/* SPDX-License-Identifier: MIT */
/* label.c with real file_contexts: Debian's reference policy from
 * /etc/selinux/default (expected types checked against selabel_lookup(8)),
 * and a made-up one that proves the target's file_contexts is the one read.
 * Needs root (security.* xattrs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "apply/copy.h"
#include "selinux/selinux.h"
#include "lib/root.h"
#include "lib/util.h"

#define HOST_POLICY "/etc/selinux/default"
#define CTX(t) "system_u:object_r:" t ":s0"

struct fx {
        char base[64];
        char root[96];
        int rootfd;
};

static char *at(const char *dir, const char *rel) {
        static char bufs[4][PATH_MAX];
        static int i;
        char *p = bufs[i++ % 4];
        if (snprintf(p, PATH_MAX, "%s/%s", dir, rel) < 0)
                fail();
        return p;
}

static void mkfile(const char *path, const char *content) {
        FILE *f = fopen(path, "we");
        if (!f)
                fail_msg("%s: %s", path, strerror(errno));
        fputs(content, f);
        assert_int_equal(fclose(f), 0);
}

static void sh(const char *fmt, ...) {
        char cmd[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cmd, sizeof(cmd), fmt, ap);
        va_end(ap);
        if (system(cmd) != 0)
                fail_msg("failed: %s", cmd);
}

static const char *label_of(const char *path) {
        static char buf[4][256];
        static int i;
        char *b = buf[i++ % 4];
        ssize_t n = lgetxattr(path, "security.selinux", b, 255);
        if (n < 0)
                return "(none)";
        b[n] = '\0';
        return b;
}

static void assert_label(const char *path, const char *want) {
        const char *got = label_of(path);
        if (!streq(got, want))
                fail_msg("%s: label %s, expected %s", path, got, want);
}

/* A target root with a policy in /usr whose /etc/selinux/default is a
 * relative link to it, as on Flatcar. */
static int setup(void **state) {
        struct fx *f = calloc(1, sizeof(*f));
        strcpy(f->base, "/tmp/isel-label-XXXXXX");
        assert_non_null(mkdtemp(f->base));
        snprintf(f->root, sizeof(f->root), "%s/root", f->base);
        sh("mkdir -p %s/usr/lib/selinux/default/contexts/files %s/usr/lib/selinux/default/policy "
           "%s/etc/selinux",
           f->root, f->root, f->root);
        char pol[PATH_MAX];
        if (snprintf(pol, sizeof(pol), "%s/%s", f->root, "usr/lib/selinux/default") < 0)
                fail();
        sh("cp -a " HOST_POLICY "/contexts/files/. %s/contexts/files/", pol);
        mkfile(at(pol, "policy/policy.33"), "not really a policy");
        mkfile(at(pol, "contexts/default_contexts"), "system_r:init_t:s0 system_r:sysadm_t:s0\n");
        mkfile(at(pol, "seusers"), "root:root:s0-s0:c0.c1023\n");
        mkfile(at(pol, "setrans.conf"), "s0=SystemLow\n");
        assert_int_equal(symlink("files", at(pol, "contexts/link")), 0);
        assert_int_equal(symlink("../../usr/lib/selinux/default", at(f->root, "etc/selinux/default")),
                         0);
        f->rootfd = root_open(f->root);
        assert_true(f->rootfd >= 0);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fx *f = *state;
        close(f->rootfd);
        sh("chattr -R -i '%s' 2>/dev/null || true", f->base);
        sh("rm -rf '%s'", f->base);
        free(f);
        return 0;
}

static struct labeler *open_target_labeler(int rootfd) {
        struct labeler *l = NULL;
        _cleanup_close_ int pfd = root_open_in(rootfd, "/etc/selinux/default", O_PATH | O_DIRECTORY);
        assert_true(pfd >= 0);
        int r = labeler_open(pfd, &l);
        if (r < 0)
                fail_msg("labeler_open: %s", strerror(-r));
        return l;
}

static void assert_lookup(struct labeler *l, const char *path, mode_t mode, const char *want) {
        _cleanup_free_ char *con = NULL;
        int r = label_lookup(l, path, mode, &con);
        if (r < 0)
                fail_msg("lookup %s: %s", path, strerror(-r));
        assert_string_equal(con, want);
}

static void test_lookup_host_policy(void **state) {
        struct labeler *l = NULL;
        char *con = NULL;

        _cleanup_close_ int pfd = open(HOST_POLICY, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(pfd >= 0);
        assert_int_equal(labeler_open(pfd, &l), 0);
        /* Expectations from `selabel_lookup -b file -r -k PATH -f .../file_contexts`. */
        assert_lookup(l, "/etc/selinux/default", S_IFDIR, CTX("selinux_config_t"));
        assert_lookup(l, "/etc/selinux/default/policy/policy.33", S_IFREG, CTX("policy_config_t"));
        assert_lookup(l, "/etc/selinux/default/contexts/files/file_contexts", S_IFREG,
                      CTX("file_context_t"));
        assert_lookup(l, "/usr/lib/selinux/default", S_IFDIR, CTX("lib_t"));
        assert_lookup(l, "/var/lib/selinux", S_IFDIR, CTX("semanage_store_t"));
        assert_lookup(l, "/var/lib/selinux/default/semanage.read.LOCK", S_IFREG,
                      CTX("semanage_read_lock_t"));
        /* ...which is for files only ("--"). */
        assert_lookup(l, "/var/lib/selinux/default/semanage.read.LOCK", S_IFDIR,
                      CTX("semanage_store_t"));
        assert_int_equal(label_lookup(l, "/tmp/whatever", S_IFREG, &con), -ENOENT);
        assert_null(con);
        labeler_free(l);
}

struct expect {
        const char *rel, *ctx;
};

static const struct expect etc_expect[] = {
        {"", CTX("selinux_config_t")},
        {"policy", CTX("policy_config_t")},
        {"policy/policy.33", CTX("policy_config_t")},
        {"contexts", CTX("default_context_t")},
        {"contexts/default_contexts", CTX("default_context_t")},
        {"contexts/link", CTX("default_context_t")},
        {"contexts/files", CTX("file_context_t")},
        {"contexts/files/file_contexts", CTX("file_context_t")},
        {"contexts/files/file_contexts.bin", CTX("file_context_t")},
        {"contexts/files/file_contexts.subs_dist", CTX("file_context_t")},
        {"seusers", CTX("selinux_config_t")},
        {"setrans.conf", CTX("selinux_config_t")},
};

static void count_entries(const char *dir, size_t *n) {
        DIR *d = opendir(dir);
        struct dirent *de;
        assert_non_null(d);
        while ((de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                (*n)++;
                char p[PATH_MAX];
                if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) < 0)
                        fail();
                struct stat st;
                assert_int_equal(lstat(p, &st), 0);
                if (S_ISDIR(st.st_mode))
                        count_entries(p, n);
        }
        closedir(d);
}

/* The label of a copied entry at its final path, for copy_tree(). */
static int label_at(const char *path, mode_t mode, char **con, void *arg) {
        return label_lookup(arg, path, mode, con);
}

/* The copy of a /usr tree, relabelled for /etc, gets /etc's types. */
static void test_relabel_for_destination(void **state) {
        struct fx *f = *state;
        struct labeler *l = open_target_labeler(f->rootfd);
        char usr[PATH_MAX];
        if (snprintf(usr, sizeof(usr), "%s/%s", f->root, "usr/lib/selinux/default") < 0)
                fail();
        char etc[PATH_MAX];

        _cleanup_close_ int usrparent = root_open_in(f->rootfd, "/usr/lib/selinux", O_PATH | O_DIRECTORY);
        assert_int_equal(label_tree(l, usrparent, "default", "/usr/lib/selinux/default", NULL), 0);
        assert_label(usr, CTX("lib_t"));
        assert_label(at(usr, "contexts/files/file_contexts"), CTX("lib_t"));
        assert_label(at(usr, "contexts/link"), CTX("lib_t"));

        const char *base = NULL;
        _cleanup_close_ int etcfd = root_open_parent_nofollow(f->rootfd, "/etc/selinux/.default.new", &base);
        assert_true(etcfd >= 0);
        _cleanup_close_ int srcfd = root_open_in(f->rootfd, "/etc/selinux/default", O_PATH | O_DIRECTORY);
        /* Labelled, while copied, for where it is about to be renamed to. */
        assert_int_equal(copy_tree(srcfd, etcfd, base, "/etc/selinux/default/", label_at, l, NULL), 0);

        if (snprintf(etc, sizeof(etc), "%s/etc/selinux/.default.new", f->root) < 0)

                fail();
        for (size_t i = 0; i < ELEMENTSOF(etc_expect); i++)
                assert_label(*etc_expect[i].rel ? at(etc, etc_expect[i].rel) : etc,
                             etc_expect[i].ctx);
        /* Nothing left with its /usr label, however deep. */
        size_t n = 0;
        count_entries(etc, &n);
        assert_true(n >= ELEMENTSOF(etc_expect) - 1);
        sh("! getfattr -R -h -n security.selinux --absolute-names %s 2>/dev/null | grep -q lib_t",
           etc);
        /* The source stays as it was. */
        assert_label(usr, CTX("lib_t"));
        assert_label(at(usr, "contexts/files"), CTX("lib_t"));
        labeler_free(l);
}

static size_t open_fds(void) {
        size_t n = 0;
        DIR *d = opendir("/proc/self/fd");
        assert_non_null(d);
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

/* Copies /etc/selinux/default with 300 more files, a local rule giving 30
 * of them (f7, f17 ... f297) no context at all (<<none>>): those keep their
 * source's label, every other entry gets its final path's, and the times
 * are the source's. */
static void test_copy_labels_and_none(void **state) {
        struct fx *f = *state;
        char usr[PATH_MAX], etc[PATH_MAX];
        if (snprintf(usr, sizeof(usr), "%s/usr/lib/selinux/default", f->root) < 0 ||
            snprintf(etc, sizeof(etc), "%s/etc/selinux/.default.new", f->root) < 0)
                fail();
        mkfile(at(f->root, "usr/lib/selinux/default/contexts/files/file_contexts.local"),
               "/etc/selinux/default/contexts/files/many/f[0-9]*7\t<<none>>\n");
        struct labeler *l = open_target_labeler(f->rootfd);
        sh("mkdir %s/contexts/files/many && cd %s/contexts/files/many && for i in $(seq 300); do "
           "echo $i > f$i; done && touch -d @1000000000 f1 .",
           usr, usr);
        _cleanup_close_ int usrparent = root_open_in(f->rootfd, "/usr/lib/selinux", O_PATH | O_DIRECTORY);
        /* Every source entry labelled lib_t: a label left from the source shows. */
        assert_int_equal(label_tree(l, usrparent, "default", "/usr/lib/selinux/default", NULL), 0);

        const char *base = NULL;
        _cleanup_close_ int etcfd = root_open_parent_nofollow(f->rootfd, "/etc/selinux/.default.new", &base);
        _cleanup_close_ int srcfd = root_open_in(f->rootfd, "/etc/selinux/default", O_PATH | O_DIRECTORY);
        assert_true(etcfd >= 0 && srcfd >= 0);
        size_t fds = open_fds();
        assert_int_equal(copy_tree(srcfd, etcfd, base, "/etc/selinux/default", label_at, l, NULL), 0);
        assert_int_equal(open_fds(), fds);
        for (size_t i = 0; i < ELEMENTSOF(etc_expect); i++)
                assert_label(*etc_expect[i].rel ? at(etc, etc_expect[i].rel) : etc, etc_expect[i].ctx);
        assert_label(at(etc, "contexts/files/many"), CTX("file_context_t"));
        assert_label(at(etc, "contexts/files/many/f1"), CTX("file_context_t"));
        assert_label(at(etc, "contexts/files/many/f300"), CTX("file_context_t"));
        assert_label(at(etc, "contexts/files/many/f7"), CTX("lib_t"));
        assert_label(at(etc, "contexts/files/many/f297"), CTX("lib_t"));
        /* ... and those alone. */
        sh("test \"$(getfattr -R -h -n security.selinux --absolute-names %s 2>/dev/null | grep -c lib_t)\" = 30",
           etc);
        sh("test \"$(stat -c %%Y %s/contexts/files/many/f1 %s/contexts/files/many)\" = "
           "\"$(stat -c %%Y %s/contexts/files/many/f1 %s/contexts/files/many)\"",
           usr, usr, etc, etc);
        sh("test \"$(stat -c %%Y %s/contexts/files/many/f1)\" = 1000000000", etc);
        labeler_free(l);
}

static void collect_ctimes(const char *dir, struct timespec *out, size_t *n, size_t max) {
        struct stat st;
        assert_int_equal(lstat(dir, &st), 0);
        assert_true(*n < max);
        out[(*n)++] = st.st_ctim;
        if (!S_ISDIR(st.st_mode))
                return;
        DIR *d = opendir(dir);
        struct dirent *de;
        assert_non_null(d);
        while ((de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                char p[PATH_MAX];
                if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) < 0)
                        fail();
                collect_ctimes(p, out, n, max);
        }
        closedir(d);
}

static size_t count_changed(const char *dir, const struct timespec *before, size_t n) {
        struct timespec after[64];
        size_t m = 0, changed = 0;
        collect_ctimes(dir, after, &m, ELEMENTSOF(after));
        assert_int_equal(m, n);
        for (size_t i = 0; i < n; i++)
                if (before[i].tv_sec != after[i].tv_sec || before[i].tv_nsec != after[i].tv_nsec)
                        changed++;
        return changed;
}

/* ext4 skips rewriting an identical xattr, ctime included, so only an
 * immutable file shows that no write was even attempted (it gets EPERM). */
static void set_immutable(const char *path, bool on) {
        struct stat st;
        assert_int_equal(lstat(path, &st), 0);
        if (S_ISLNK(st.st_mode))
                return;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        assert_true(fd >= 0);
        int flags = 0;
        assert_int_equal(ioctl(fd, FS_IOC_GETFLAGS, &flags), 0);
        flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
        assert_int_equal(ioctl(fd, FS_IOC_SETFLAGS, &flags), 0);
        if (!S_ISDIR(st.st_mode))
                return;
        DIR *d = opendir(path);
        struct dirent *de;
        while ((de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                char p[PATH_MAX];
                if (snprintf(p, sizeof(p), "%s/%s", path, de->d_name) < 0)
                        fail();
                set_immutable(p, on);
        }
        closedir(d);
}

static void test_second_run_writes_nothing(void **state) {
        struct fx *f = *state;
        struct labeler *l = open_target_labeler(f->rootfd);
        struct timespec before[64];
        const struct timespec pause = {0, 30 * 1000 * 1000};
        size_t n = 0;
        char usr[PATH_MAX];
        if (snprintf(usr, sizeof(usr), "%s/%s", f->root, "usr/lib/selinux/default") < 0)
                fail();

        _cleanup_close_ int parent = root_open_in(f->rootfd, "/usr/lib/selinux", O_PATH | O_DIRECTORY);
        assert_int_equal(label_tree(l, parent, "default", "/usr/lib/selinux/default", NULL), 0);
        set_immutable(usr, true);
        int r = label_tree(l, parent, "default", "/usr/lib/selinux/default", NULL);
        set_immutable(usr, false);
        assert_int_equal(r, 0);
        collect_ctimes(usr, before, &n, ELEMENTSOF(before));
        nanosleep(&pause, NULL);
        assert_int_equal(label_tree(l, parent, "default", "/usr/lib/selinux/default", NULL), 0);
        assert_int_equal(count_changed(usr, before, n), 0);
        /* Labels are stored the way setfiles stores them, NUL included. */
        char raw[64];
        assert_int_equal(lgetxattr(usr, "security.selinux", raw, sizeof(raw)), sizeof(CTX("lib_t")));

        /* A label stored without the trailing NUL is the same label... */
        const char *lib = CTX("lib_t");
        assert_int_equal(lsetxattr(at(usr, "seusers"), "security.selinux", lib, strlen(lib), 0), 0);
        /* ...a wrong one is not, and only it is rewritten. */
        assert_int_equal(lsetxattr(at(usr, "contexts/link"), "security.selinux", CTX("etc_t"),
                                   sizeof(CTX("etc_t")), 0),
                         0);
        n = 0;
        collect_ctimes(usr, before, &n, ELEMENTSOF(before));
        nanosleep(&pause, NULL);
        assert_int_equal(label_tree(l, parent, "default", "/usr/lib/selinux/default", NULL), 0);
        assert_int_equal(count_changed(usr, before, n), 1);
        assert_label(at(usr, "contexts/link"), CTX("lib_t"));
        labeler_free(l);
}

/* A file_contexts of our own, with types no real policy has, at the
 * target's /etc/selinux/default: lookups must come from it. */
static const char custom_fc[] =
        "/etc/selinux(/.*)?\tsystem_u:object_r:target_conf_t:s0\n"
        "/etc/selinux/x(/.*)?/special\t-d\tsystem_u:object_r:target_dir_t:s0\n"
        "/etc/selinux/x(/.*)?/special\t--\tsystem_u:object_r:target_file_t:s0\n"
        "/etc/selinux/x(/.*)?/special\t-l\tsystem_u:object_r:target_link_t:s0\n"
        "/etc/selinux/x/none\t<<none>>\n";

static void write_custom_fc(const struct fx *f) {
        char files[PATH_MAX];
        if (snprintf(files, sizeof(files), "%s/%s", f->root, "usr/lib/selinux/default/contexts/files") < 0)
                fail();
        sh("rm -f %s/*", files);
        mkfile(at(files, "file_contexts"), custom_fc);
}

static void test_uses_target_file_contexts(void **state) {
        struct fx *f = *state;
        char x[PATH_MAX];
        if (snprintf(x, sizeof(x), "%s/%s", f->base, "x") < 0)
                fail();

        write_custom_fc(f);
        struct labeler *l = open_target_labeler(f->rootfd);
        assert_lookup(l, "/etc/selinux/default", S_IFDIR, CTX("target_conf_t"));
        assert_lookup(l, "/etc/selinux/x/special", S_IFDIR, CTX("target_dir_t"));
        assert_lookup(l, "/etc/selinux/x/special", S_IFREG, CTX("target_file_t"));
        assert_lookup(l, "/etc/selinux/x/special", S_IFLNK, CTX("target_link_t"));

        /* The tree's own file types pick the rules; <<none>> is left alone. */
        sh("mkdir -p %s/sub/special %s/sub2 && : > %s/special && : > %s/none", x, x, x, x);
        assert_int_equal(symlink("../special", at(x, "sub2/special")), 0);
        assert_int_equal(symlink("special", at(x, "sub/special/link")), 0);
        assert_int_equal(lsetxattr(at(x, "none"), "security.selinux", "keep", 5, 0), 0);
        _cleanup_close_ int basefd = open(f->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(label_tree(l, basefd, "x", "/etc/selinux/x", NULL), 0);
        assert_label(x, CTX("target_conf_t"));
        assert_label(at(x, "special"), CTX("target_file_t"));
        assert_label(at(x, "none"), "keep");
        assert_label(at(x, "sub"), CTX("target_conf_t"));
        assert_label(at(x, "sub/special"), CTX("target_dir_t"));
        assert_label(at(x, "sub/special/link"), CTX("target_conf_t"));
        assert_label(at(x, "sub2/special"), CTX("target_link_t"));

        /* label_entry on a symlink labels the link, not what it points to. */
        assert_int_equal(symlink("special", at(x, "special-link")), 0);
        _cleanup_close_ int xfd = open(x, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(lsetxattr(at(x, "special"), "security.selinux", "sentinel", 9, 0), 0);
        assert_int_equal(label_entry(l, xfd, "special-link", "/etc/selinux/x/special"), 0);
        assert_label(at(x, "special-link"), CTX("target_link_t"));
        assert_label(at(x, "special"), "sentinel");
        assert_int_equal(label_entry(l, xfd, "sub/special", "/etc/selinux/x/sub/special"), -EINVAL);
        labeler_free(l);
}

/* libselinux would follow links in contexts/files on the host, so they
 * must be refused before it gets to them. */
static void test_refuses_links_in_files_dir(void **state) {
        struct fx *f = *state;
        struct labeler *l = NULL;
        char pol[PATH_MAX];
        if (snprintf(pol, sizeof(pol), "%s/%s", f->root, "usr/lib/selinux/default") < 0)
                fail();

        sh("mv %s/contexts/files %s/contexts/realfiles", pol, pol);
        assert_int_equal(symlink(HOST_POLICY "/contexts/files", at(pol, "contexts/files")), 0);
        _cleanup_close_ int pfd = root_open_in(f->rootfd, "/etc/selinux/default", O_PATH | O_DIRECTORY);
        assert_true(pfd >= 0);
        assert_int_equal(labeler_open(pfd, &l), -EXDEV);
        assert_null(l);

        /* A relative link that stays in the policy directory is fine. */
        assert_int_equal(unlink(at(pol, "contexts/files")), 0);
        assert_int_equal(symlink("realfiles", at(pol, "contexts/files")), 0);
        assert_int_equal(labeler_open(pfd, &l), 0);
        labeler_free(l);
        l = NULL;

        assert_int_equal(rename(at(pol, "contexts/realfiles/file_contexts.homedirs"),
                                at(pol, "contexts/realfiles/hd")),
                         0);
        assert_int_equal(symlink(HOST_POLICY "/contexts/files/file_contexts.homedirs",
                                 at(pol, "contexts/realfiles/file_contexts.homedirs")),
                         0);
        assert_int_equal(labeler_open(pfd, &l), -ELOOP);
        assert_null(l);
}

int main(void) {
        if (geteuid() != 0) {
                fprintf(stderr, "test-label needs root (security.* xattrs)\n");
                return 77;
        }
        if (access(HOST_POLICY "/contexts/files/file_contexts", R_OK) < 0) {
                fprintf(stderr, "test-label needs %s (selinux-policy-default)\n", HOST_POLICY);
                return 77;
        }
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_lookup_host_policy),
                cmocka_unit_test_setup_teardown(test_relabel_for_destination, setup, teardown),
                cmocka_unit_test_setup_teardown(test_copy_labels_and_none, setup, teardown),
                cmocka_unit_test_setup_teardown(test_second_run_writes_nothing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_uses_target_file_contexts, setup, teardown),
                cmocka_unit_test_setup_teardown(test_refuses_links_in_files_dir, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
