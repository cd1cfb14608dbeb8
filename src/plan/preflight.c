/* SPDX-License-Identifier: MIT */
#include "plan.h"

#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "lib/root.h"
#include "lib/util.h"

#define LIMIT "SELinux enforcement is incompatible with Btrfs volumes (Flatcar's documented limit)"

struct finding {
        struct diags *d;
        bool fatal;
        const char *how; /* "btrfs" setting's origin, for the message */
        size_t n;
};

static void found(struct finding *f, const char *what) {
        diags_add(f->d, f->fatal ? DIAG_ERROR : DIAG_WARNING, "%s: %s%s%s", what, LIMIT,
                  f->fatal ? "; refusing, as " : "", f->fatal ? f->how : "");
        f->n++;
}

/* Block devices, found without udev: the initramfs may not have probed
 * them all yet, and libblkid reads their superblocks directly. */
static void probe_devices(struct finding *f) {
        blkid_cache cache = NULL;

        /* "/dev/null": neither read nor write a cache file */
        if (blkid_get_cache(&cache, "/dev/null") < 0)
                return;
        if (blkid_probe_all(cache) == 0) {
                blkid_dev_iterate it = blkid_dev_iterate_begin(cache);
                blkid_dev dev;
                while (it && blkid_dev_next(it, &dev) == 0) {
                        const char *name = blkid_dev_devname(dev);
                        _cleanup_free_ char *type = blkid_get_tag_value(cache, "TYPE", name);
                        if (type && streq(type, "btrfs")) {
                                char what[512];
                                snprintf(what, sizeof(what), "%s is a Btrfs filesystem", name);
                                found(f, what);
                        }
                }
                blkid_dev_iterate_end(it);
        }
        blkid_put_cache(cache);
}

/* The target's own mounts that matter most: where containers keep data. */
static void check_mounted(const struct preflight_input *in, struct finding *f) {
        static const char *const paths[] = {"/", "/var", "/var/lib", "/var/lib/docker", "/var/lib/containerd"};

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                _cleanup_close_ int fd = root_open_in(in->rootfd, paths[i], O_PATH | O_DIRECTORY);
                struct statfs sfs;
                if (fd < 0 || fstatfs(fd, &sfs) < 0 || (unsigned long)sfs.f_type != BTRFS_SUPER_MAGIC)
                        continue;
                char what[512];
                snprintf(what, sizeof(what), "%s%s is on a Btrfs filesystem", in->root_display, paths[i]);
                found(f, what);
        }
}

/* storage.filesystems[] of the config Ignition ran: what it formatted. */
static void check_declared(const struct ignition_cache *c, struct finding *f) {
        for (size_t i = 0; c && i < c->n_fs; i++) {
                const struct ign_filesystem *fs = &c->fs[i];
                if (!fs->format || !streq(fs->format, "btrfs"))
                        continue;
                char what[1024];
                snprintf(what, sizeof(what), "%s: $.storage.filesystems[%zu]: %s is declared Btrfs", fs->file,
                         fs->index, fs->device ? fs->device : "a device");
                found(f, what);
        }
}

int preflight_btrfs(const struct preflight_input *in, const struct se_config *cfg, const struct plan *p,
                    struct diags *d) {
        struct finding f = {.d = d, .fatal = cfg->btrfs_fatal == 1};
        _cleanup_free_ char *how = NULL;

        if (p->mode != SE_MODE_ENFORCING && p->boot_mode != SE_MODE_ENFORCING)
                return 0;
        if (f.fatal && asprintf(&how, "\"btrfs\": \"fail\" at %s asks", cfg->btrfs_origin) < 0)
                return -ENOMEM;
        f.how = how;
        if (in->probe_devices)
                probe_devices(&f);
        check_mounted(in, &f);
        check_declared(in->ignition, &f);
        return f.fatal && f.n ? -EINVAL : 0;
}
