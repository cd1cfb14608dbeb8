/* SPDX-License-Identifier: MIT */
/* Test helper around src/selinux/dontaudit.c, so shell tests can use exactly the
 * code the product runs:
 *   policy-tool count FILE      prints the number of dontaudit rules
 *   policy-tool strip IN OUT    writes IN without its dontaudit rules
 *   policy-tool av SCON TCON CLASS PERM
 *                               asks the loaded policy (selinuxfs) whether
 *                               SCON may PERM on TCON, and whether SCON's
 *                               domain is permissive: "allowed=yes permissive=no"
 * Exit 0 on success, 1 on failure (with a message on stderr), 2 on usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <selinux/selinux.h>

#include "selinux/selinux.h"
#include "lib/log.h"
#include "lib/util.h"

static int read_all(const char *path, void **ret, size_t *retlen) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t done = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negerrno();
        if (fstat(fd, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        /* +1 so an empty file still gets a buffer; the length says 0. */
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        while (done < (size_t)st.st_size) {
                ssize_t k = read(fd, buf + done, (size_t)st.st_size - done);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negerrno();
                }
                if (k == 0)
                        break;
                done += (size_t)k;
        }
        *ret = TAKE_PTR(buf);
        *retlen = done;
        return 0;
}

static int write_all(const char *path, const void *data, size_t len) {
        _cleanup_close_ int fd = -1;
        const char *p = data;

        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return negerrno();
        while (len > 0) {
                ssize_t k = write(fd, p, len);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negerrno();
                }
                p += k;
                len -= (size_t)k;
        }
        if (close(TAKE_FD(fd)) < 0)
                return negerrno();
        return 0;
}

static int usage(void) {
        fprintf(stderr, "usage: policy-tool count FILE\n"
                        "       policy-tool strip IN OUT\n"
                        "       policy-tool av SCON TCON CLASS PERM\n");
        return 2;
}

int main(int argc, char **argv) {
        _cleanup_free_ void *in = NULL;
        _cleanup_free_ void *out = NULL;
        size_t inlen = 0, outlen = 0, n = 0;
        int r;

        log_set_prefix("policy-tool");

        if (argc == 3 && streq(argv[1], "count")) {
                r = read_all(argv[2], &in, &inlen);
                if (r < 0)
                        return log_errno(r, "reading %s", argv[2]), 1;
                r = dontaudit_count(in, inlen, &n);
                if (r < 0)
                        return log_errno(r, "counting dontaudit rules in %s", argv[2]), 1;
                printf("%zu\n", n);
                return 0;
        }

        if (argc == 4 && streq(argv[1], "strip")) {
                r = read_all(argv[2], &in, &inlen);
                if (r < 0)
                        return log_errno(r, "reading %s", argv[2]), 1;
                r = dontaudit_strip(in, inlen, &out, &outlen, &n);
                if (r < 0)
                        return log_errno(r, "stripping dontaudit rules from %s", argv[2]), 1;
                r = write_all(argv[3], out, outlen);
                if (r < 0)
                        return log_errno(r, "writing %s", argv[3]), 1;
                return 0;
        }

        if (argc == 6 && streq(argv[1], "av")) {
                security_class_t cls = string_to_security_class(argv[4]);
                access_vector_t perm = cls ? string_to_av_perm(cls, argv[5]) : 0;
                struct av_decision avd;
                if (!cls || !perm)
                        return log_error("unknown class or permission %s:%s", argv[4], argv[5]), 1;
                if (security_compute_av_flags(argv[2], argv[3], cls, perm, &avd) < 0)
                        return log_errno(negerrno(), "computing the access vector"), 1;
                printf("allowed=%s permissive=%s\n", (avd.allowed & perm) ? "yes" : "no",
                       (avd.flags & SELINUX_AVD_FLAGS_PERMISSIVE) ? "yes" : "no");
                return 0;
        }

        return usage();
}
