/* SPDX-License-Identifier: MIT */
/* What the files of the planner share (steps.c holds these helpers; the
 * others plan one part each). Private to plan/. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "plan.h"

#define SELINUX_CONFIG "/etc/selinux/config"
#define VAR_LIB_SELINUX "/var/lib/selinux"
/* Flatcar's module store; its tmpfiles link /var/lib/selinux to it when missing. */
#define FLATCAR_STORE "/usr/lib/selinux/policy"
#define BACKUP_DIR "ignition-selinux" /* in the store, beside active/ */
/* Policies are a few MB; anything far larger is not a policy. */
#define POLICY_MAX_SIZE (256u * 1024 * 1024)
#define SMALL_FILE_MAX (1u * 1024 * 1024)

/* Unknown names (booleans, types) named one by one, each with a hint;
 * past this many they are counted. */
#define UNKNOWN_NAMED_MAX 20

/* Appends a step; `fmt` makes its one-line description. */
int add_step(struct plan *p, enum step_kind kind, const char *path, const char *path2, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
/* Frees what a step holds (not the step itself). */
void step_free(struct step *s);
/* The last step's payload: a file's new content and metadata. Takes `data`. */
void set_payload(struct plan *p, char *data, size_t len, const struct stat *st);
/* lstat of `path`, its parents resolved inside the root. */
int lstat_in(const struct plan_input *in, const char *path, struct stat *st);
bool exists_in(const struct plan_input *in, const char *path);
/* Reads the regular file `path` of the target, at most `max` bytes.
 * Returns 0, -ENOENT, -ENOMEM, or -EINVAL with the reason in `d` (another
 * kind of file, too large, unreadable). */
int read_in(const struct plan_input *in, const char *path, size_t max, char **buf, size_t *len, struct stat *st,
            struct diags *d);
/* Plans the removal of a staged leftover beside `path`, if there is one. */
int plan_cleanup(const struct plan_input *in, struct plan *p, const char *path);
/* Whether `path` is a policy this program wrote without dontaudit rules. */
bool tagged_stripped(int rootfd, const char *path);

/* Refuses (in `d`, -EINVAL) a plan whose steps would write through a
 * symlink: every directory on the way to every path a step writes must be
 * a real one by the time it runs. */
int plan_check_ways(const struct plan_input *in, const struct plan *p, struct diags *d);

/* The last component of `path`. */
const char *base_name(const char *path);
bool same_bytes(const char *a, size_t alen, const char *b, size_t blen);

/* "auditDenials" (audit.c). */
int plan_audit(const struct plan_input *in, struct plan *p, struct diags *d);
/* "booleans" (booleans.c). */
int plan_booleans(const struct plan_input *in, struct plan *p, struct diags *d);

/* "modules" and "permissiveDomains": the module changes the store needs
 * (p->ops). Syntax errors and unknown permissive types go to `d`. */
int plan_modules(const struct plan_input *in, struct plan *p, struct diags *d);
/* When a rebuild is needed: it replaces the planned edits of the binary
 * policies, makes the saved originals stale, and comes before the config. */
int plan_rebuild(const struct plan_input *in, struct plan *p);
