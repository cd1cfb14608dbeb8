/* SPDX-License-Identifier: MIT */
#include "preflight.h"

#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "fsutil.h"
#include "root.h"
#include "util.h"

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

/* storage.filesystems[] of an Ignition config: what Ignition formatted. */
static void check_declared(const char *path, struct finding *f) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        _cleanup_free_ char *text = NULL;
        struct json_object *root, *storage, *fss;
        size_t len;

        if (fd < 0 || read_full_fd(fd, CONFIG_MAX_SIZE, &text, &len) < 0)
                return;
        root = json_tokener_parse(text);
        if (!root)
                return;
        if (json_object_object_get_ex(root, "storage", &storage) &&
            json_object_object_get_ex(storage, "filesystems", &fss) && json_object_is_type(fss, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(fss); i++) {
                        struct json_object *fs = json_object_array_get_idx(fss, i), *fmt, *dev;
                        if (!json_object_object_get_ex(fs, "format", &fmt) ||
                            !streq(json_object_get_string(fmt) ?: "", "btrfs"))
                                continue;
                        char what[1024];
                        snprintf(what, sizeof(what), "%s: $.storage.filesystems[%zu]: %s is declared Btrfs", path, i,
                                 json_object_object_get_ex(fs, "device", &dev) ? json_object_get_string(dev) : "a device");
                        found(f, what);
                }
        }
        json_object_put(root);
}

int preflight_btrfs(const struct preflight_input *in, const struct se_config *cfg, const struct plan *p,
                    struct diags *d) {
        struct finding f = {.d = d, .fatal = cfg->btrfs_fatal == 1};
        _cleanup_free_ char *how = NULL, *cache = NULL;
        const char *root = in->source_root ? in->source_root : "/";

        if (p->mode != SE_MODE_ENFORCING && p->boot_mode != SE_MODE_ENFORCING)
                return 0;
        if (f.fatal && asprintf(&how, "\"btrfs\": \"fail\" at %s asks", cfg->btrfs_origin) < 0)
                return -ENOMEM;
        f.how = how;
        if (in->probe_devices)
                probe_devices(&f);
        check_mounted(in, &f);
        if (in->configs)
                for (size_t i = 0; i < in->n_configs; i++)
                        check_declared(in->configs[i], &f);
        else {
                /* Ignition keeps storage.filesystems in the config it caches. */
                if (asprintf(&cache, "%s%s", streq(root, "/") ? "" : root, "/run/ignition.json") < 0)
                        return -ENOMEM;
                check_declared(cache, &f);
        }
        return f.fatal && f.n ? -EINVAL : 0;
}
