/* SPDX-License-Identifier: MIT */
#include "selinux.h"

#include <errno.h>
#include <fcntl.h>
#include <selinux/selinux.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/root.h"
#include "lib/util.h"

#define SELINUXFS "/sys/fs/selinux"
#define SELINUX_MAGIC 0xf97cff8c
#define POLICY_MAX_SIZE (256u * 1024 * 1024)

/* selinuxfs exists only when SELinux is the kernel's active LSM (Debian's
 * kernel needs security=selinux); without it nothing can be loaded. */
static int mount_selinuxfs(void) {
        struct statfs sfs;

        if (statfs(SELINUXFS, &sfs) == 0 && (unsigned long)sfs.f_type == SELINUX_MAGIC)
                goto done;
        if (access(SELINUXFS, F_OK) < 0)
                return -ENODEV;
        if (mount("selinuxfs", SELINUXFS, "selinuxfs", MS_NOSUID | MS_NOEXEC, NULL) < 0)
                return negerrno();
done:
        set_selinuxmnt(SELINUXFS);
        return 0;
}

/* The newest policy.N the kernel accepts, read through the root. */
static int read_policy(int rootfd, const char *type, char **buf, size_t *len, char **name) {
        int r = policy_file_find(rootfd, type, security_policyvers(), name);

        if (r < 0)
                return r;
        return read_full_in_root(rootfd, *name, POLICY_MAX_SIZE, buf, len, NULL);
}

static int fail(enum se_mode mode, const char *why, const char *what, int err) {
        if (mode == SE_MODE_ENFORCING) {
                log_error("SELinux enforcing was requested (%s), but %s: %s. "
                          "The boot stops here rather than run unprotected. To boot around it, add "
                          "enforcing=0 (permissive for this boot) or selinux=0 to the kernel command line.",
                          why, what, strerror(-err));
                return err;
        }
        log_warning("SELinux permissive was requested (%s), but %s: %s; continuing without a policy",
                    why, what, strerror(-err));
        return 0;
}

int load_policy(int rootfd, const char *root_display, const char *type, enum se_mode mode, const char *why) {
        _cleanup_free_ char *buf = NULL, *name = NULL;
        bool enforce = mode == SE_MODE_ENFORCING;
        size_t len;
        int r;

        if (mode == SE_MODE_DISABLED) {
                log_info("this boot: disabled (%s); no policy loaded", why);
                return 0;
        }
        r = mount_selinuxfs();
        if (r < 0)
                return fail(mode, why, "SELinux is not active in the kernel (no selinuxfs; Debian kernels need security=selinux)", r);
        r = read_policy(rootfd, type, &buf, &len, &name);
        if (r < 0)
                return fail(mode, why, "the policy could not be read from the target", r);
        /* Set the mode first so the policy never runs a moment in the wrong one. */
        if (security_setenforce(enforce) < 0)
                return fail(mode, why, "the kernel refused the mode", negerrno());
        if (security_load_policy(buf, len) < 0)
                return fail(mode, why, "the kernel refused the policy", negerrno());
        r = security_getenforce();
        if (r != enforce)
                return fail(mode, why, "the kernel did not keep the mode", r < 0 ? r : -EPERM);
        log_info("loaded %s%s, %s (%s)", root_display, name, enforce ? "enforcing" : "permissive",
                 why);
        return 0;
}
