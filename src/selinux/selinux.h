/* SPDX-License-Identifier: MIT */
/* SELinux's own formats and libraries, as this program uses them on a
 * target root: /etc/selinux/config, labels from the target's file_contexts,
 * kernel binary policies (libsepol), CIL modules, a libsemanage store's
 * modules, and loading a policy. Nothing here knows the Ignition block. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- seconfig.h */
/* SELinux's modes, as SELINUX= and the JSON block name them. */
enum se_mode { SE_MODE_UNSET = 0, SE_MODE_ENFORCING, SE_MODE_PERMISSIVE, SE_MODE_DISABLED };

const char *se_mode_to_string(enum se_mode m);
enum se_mode se_mode_from_string(const char *s); /* SE_MODE_UNSET if unknown */

/* /etc/selinux/config: reading SELINUX= and SELINUXTYPE=, and rewriting
 * them while keeping every other line as it was. */



struct seconfig_values {
        enum se_mode mode; /* SE_MODE_UNSET if absent or unknown */
        char *type;        /* NULL if absent */
};

/* Parses the values libselinux would read from `text`. */
int seconfig_parse(const char *text, size_t len, struct seconfig_values *v);
void seconfig_values_free(struct seconfig_values *v);

/* Returns in *out (malloc'd, NUL-terminated, *outlen bytes) `text` with
 * every SELINUX= and SELINUXTYPE= line set to `mode` and `type`; a key that
 * is absent is appended. Other lines, comments and order are kept; the result
 * ends with a newline. */
int seconfig_rewrite(const char *text, size_t len, enum se_mode mode, const char *type, char **out,
                     size_t *outlen);

/* ---- label.h */
/* SELinux labels from the *target's* file_contexts, applied without an
 * SELinux kernel (xattrs only), so copied trees get the labels of their new
 * location rather than keeping their /usr ones. */


struct labeler;

/* Opens the file_contexts of the policy whose directory
 * (/etc/selinux/<type> on the target) is open at policy_dirfd. */
int labeler_open(int policy_dirfd, struct labeler **out);
/* Why the last labeler_open() could not load file_contexts, as libselinux
 * said it ("file_contexts:  line 2 has invalid file type y"), or NULL. */
const char *labeler_error(void);
void labeler_free(struct labeler *l);

/* The context file_contexts gives to `path` (an absolute in-target path) of
 * file type `mode`. *con is malloc'd; -ENOENT if no rule matches. */
int label_lookup(struct labeler *l, const char *path, mode_t mode, char **con);

/* Sets security.selinux on entry `name` of dirfd (a symlink is labelled
 * itself) to the context for `path`. Unchanged labels are not rewritten. */
int label_entry(struct labeler *l, int dirfd, const char *name, const char *path);

/* Labels the tree rooted at entry `name` of dirfd (the tree itself
 * included, what is mounted beneath it not) as if it lived at `path` in
 * the target, as one `setfiles -F` of it does: every label that differs
 * from file_contexts' is set, nothing else is written, and a file with
 * several hard links in the tree gets the label of the first of its paths
 * met. *changed (may be NULL) counts the labels set. */
int label_tree(struct labeler *l, int dirfd, const char *name, const char *path, size_t *changed);

/* 1 if entry `name` of dirfd has no security.selinux at all (as what is
 * created before any policy is loaded), 0 if it has one, or -errno. */
int label_missing(int dirfd, const char *name);

/* ---- load.h */
/* Loading the target's policy from the initramfs, in the mode this boot
 * resolves to, before switch-root. */


/* Loads the binary policy of `type` from the target and sets this boot's
 * `mode` (`why`: what decided it, for messages); `disabled` loads nothing.
 * A failure under `enforcing` is an error with a message saying what was
 * asked, what failed and how to boot around it; under `permissive` it is a
 * warning and 0 is returned. */
int load_policy(int rootfd, const char *root_display, const char *type, enum se_mode mode, const char *why);

/* ---- policyfile.h */
/* The binary policy of a policy type on the target: the file libselinux
 * would load, /etc/selinux/<type>/policy/policy.N with the highest N. */

/* Finds it, with N at most `max_version` (any if negative). *path is the
 * malloc'd in-root path. Returns 0, -ENOENT if there is none, or -errno. */
int policy_file_find(int rootfd, const char *type, int max_version, char **path);

/* ---- dontaudit.h */
/* dontaudit rules in a kernel binary policy. Dropping them from the compiled
 * policy yields what `semodule -DB` builds from an unchanged store, at a tiny
 * fraction of the cost (docs/design.md). */


/* Counts dontaudit (AVTAB_AUDITDENY) rules, unconditional and conditional. */
int dontaudit_count(const void *policy, size_t len, size_t *count);

/* Writes into *out (malloc'd, *outlen bytes) the same binary policy, in the
 * same format version, without its dontaudit rules. *removed gets how many
 * were dropped (may be NULL). Returns 0, -EINVAL for a policy libsepol cannot
 * read, -ENOMEM. */
int dontaudit_strip(const void *policy, size_t len, void **out, size_t *outlen, size_t *removed);

/* ---- booleans.h */
/* Boolean defaults in a kernel binary policy: what `setsebool -P` makes
 * persistent, set in the compiled policy itself so that it is in effect from
 * the first load, and recorded in the store for later rebuilds. */


struct policy_boolean {
        const char *name;
        int value;
};

/* The names the policy defines, sorted; *names is one malloc'd array of
 * pointers into one block (free(*names) frees all). */
int booleans_list(const void *policy, size_t len, char ***names, size_t *n);

/* Writes into *out a copy of the policy with each boolean's default set to
 * `want`; *changed counts those that differed (0: *out is NULL, nothing to
 * write). -ENOENT if a name is not defined, *missing then points at it. */
int booleans_set(const void *policy, size_t len, const struct policy_boolean *want, size_t n,
                 void **out, size_t *outlen, size_t *changed, const char **missing);

/* The store's booleans.local (lines "name=value", as libsemanage writes it)
 * with `want` merged in, sorted by name; other entries are kept. */
int booleans_local_merge(const char *text, size_t len, const struct policy_boolean *want, size_t n,
                         char **out, size_t *outlen);

/* ---- policynames.h */
/* The names a kernel binary policy defines, for checking what a config
 * declares against the target's policy (and hinting at close matches). */


enum policy_symbols {
        POLICY_BOOLEANS,
        POLICY_TYPES, /* types proper: no attributes */
};

/* The names of that kind, sorted; *names is one malloc'd array of pointers
 * into one block (free(*names) frees all). -EINVAL for data libsepol cannot
 * read as a kernel policy. */
int policy_names(const void *policy, size_t len, enum policy_symbols which, char ***names, size_t *n);

/* ---- cil.h */
/* CIL policy modules as libsemanage installs them: a syntax check before
 * anything is written, and the module `semanage permissive -a` generates. */


/* Parses `text` with libsepol's CIL parser. Returns 0, -EINVAL with the
 * parser's message in *msg (malloc'd, one line, naming `name`), -ENOMEM.
 * Only syntax: names are resolved when the policy is rebuilt. */
int cil_check_syntax(const char *name, const char *text, size_t len, char **msg);

/* The module that makes `type` a permissive domain, named and written as
 * `semanage permissive -a TYPE` does, so that `semanage permissive -l` lists
 * it and `-d` removes it: "permissive_TYPE" holding "(typepermissive TYPE)". */
int cil_permissive_module(const char *type, char **name, char **text, size_t *len);

/* ---- storemodule.h */
/* Modules in a libsemanage store, read as libsemanage writes them:
 * active/modules/<priority>/<name>/{cil,lang_ext}, the CIL bzip2-compressed
 * unless semanage.conf says bzip-blocksize=0. */


/* The CIL of module `name` at `priority` in /var/lib/selinux/<type> on the
 * target, decompressed. Returns 0, -ENOENT if there is no such module,
 * -EMEDIUMTYPE if it was installed from another language (a .pp), -EBADMSG
 * for a corrupt file, or -errno. */
int store_module_cil(int rootfd, const char *type, int priority, const char *name, char **cil, size_t *len);

/* Whether the module is installed at `priority`. */
bool store_module_exists(int rootfd, const char *type, int priority, const char *name);

/* Whether `semodule -d` disabled module `name`. */
bool store_module_disabled(int rootfd, const char *type, const char *name);
