/* SPDX-License-Identifier: MIT */
/* The plan: from the merged configuration and what the target root holds
 * now, the ordered list of steps that `apply` performs. Planning only reads.
 * Each step changes one path atomically (labelling what Ignition wrote sets
 * many labels in place), so an interrupted run leaves the target at a step
 * boundary and the next run plans only what is left. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "config/config.h"
#include "lib/diag.h"

/* ---- plan.h */
/* One change to the store's modules. */
struct module_op {
        char *name;
        int priority;
        char *cil; /* NULL: remove the module at `priority` */
        size_t len;
        bool enable; /* `semodule -d` had disabled it: enable it again */
        char *origin; /* where the config declared it, for messages */
};

/* The plan: from the merged configuration and what the target root holds
 * now, the ordered list of steps that `apply` performs. Planning only reads.
 * Each step changes one path atomically, so an interrupted run leaves the
 * target at a step boundary and the next run plans only what is left. */



enum step_kind {
        STEP_REMOVE_STAGED, /* a leftover of an interrupted run */
        STEP_COPY_DIR,      /* replace the symlink `path` by a labelled copy of its target, or
                               create `path` as a labelled copy of `path2` when there is one */
        STEP_WRITE_FILE,    /* replace `path` by a regular file holding `data` */
        STEP_COPY_FILE,     /* replace `path` by a copy of the regular file `path2`, read when applied */
        STEP_RENAME,        /* rename `path` to `path2` (same directory) */
        STEP_LINK,          /* hard link `path2` to `path` (same directory) */
        STEP_UNLINK,
        STEP_MKDIR,
        STEP_RMDIR,
        STEP_REBUILD,       /* libsemanage: the plan's module changes, then a rebuild, then labels */
        STEP_RELABEL,       /* label the store and policy directory after an interrupted rebuild */
        STEP_LABEL,         /* label `roots` and what lies beneath, as setfiles -F (what Ignition wrote) */
};

/* XATTR_TAG of a policy written without its dontaudit rules. */
#define TAG_STRIPPED "dontaudit-removed"
/* In /var/lib/selinux/<type> while a rebuild's output may be unlabelled. */
#define RELABEL_MARKER "ignition-selinux.relabel"

struct step {
        enum step_kind kind;
        char *path, *path2; /* absolute paths inside the target root */
        char *data;
        size_t len;
        mode_t mode;
        uid_t uid;
        gid_t gid;
        const char *tag; /* XATTR_TAG value for a written file, static, may be NULL */
        /* A file whose other xattrs and times the written file takes (a
         * policy saved aside, or restored from there), or NULL. */
        char *meta_from;
        char *why; /* one line for `plan` and the log */
        /* STEP_LABEL: where, and the entries there without any label
         * (what `plan --verbose` lists). */
        char **roots, **entries;
        size_t n_roots, n_entries;
};

struct plan {
        struct step *steps;
        size_t n, allocated;
        char *type;              /* SELINUXTYPE of the target afterwards */
        enum se_mode mode;       /* SELINUX= persisted on the target afterwards */
        enum se_mode boot_mode;  /* what this boot loads: mode, overridden by the kernel */
        char *boot_mode_reason;
        bool block_found;
        /* Module changes for STEP_REBUILD; `rebuild` is set when a rebuild
         * is needed even without any (restoring dontaudit rules). */
        struct module_op *ops;
        size_t n_ops, allocated_ops;
        bool rebuild;
        /* The target's file contexts, opened when a step writes labels
         * (planning proves they load; apply labels with them). */
        struct labeler *labeler;
};

struct plan_input {
        int rootfd;
        const char *root_display;
        const struct se_config *cfg;
        const struct kcmdline *kcmd;
        const struct ignition_cache *ignition; /* the config Ignition ran */
        /* Set by the planner: /var/lib/selinux is still to be made from
         * Flatcar's store, which the plan reads in its place. */
        bool store_from_usr;
};

/* Returns 0, -EINVAL when the configuration cannot be honoured on this
 * target (explained in `d`), or another negative errno when the target
 * cannot be read (logged). */
int plan_build(const struct plan_input *in, struct plan *p, struct diags *d);
void plan_free(struct plan *p);
/* With `verbose`, each entry a STEP_LABEL labels is listed too. */
void plan_print(const struct plan *p, bool verbose, FILE *f);

/* ---- preflight.h */
/* Checks before changing anything: known limits of SELinux enforcement on
 * this machine (Flatcar's documentation: enforcement breaks on Btrfs
 * volumes). */


struct preflight_input {
        int rootfd;
        const char *root_display;
        const struct ignition_cache *ignition; /* storage.filesystems of the config Ignition ran */
        bool probe_devices;       /* probe block devices with libblkid */
};

/* Under enforcing, each Btrfs filesystem found (probed with libblkid, the
 * target's mounted paths with statfs, or declared in storage.filesystems)
 * is a warning in `d`, or an error when the block says "btrfs": "fail".
 * Returns 0, or -EINVAL when it is fatal. */
int preflight_btrfs(const struct preflight_input *in, const struct se_config *cfg, const struct plan *p,
                    struct diags *d);
