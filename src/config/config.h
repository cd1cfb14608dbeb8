/* SPDX-License-Identifier: MIT */
/* Everything the program is told: the `selinux` block from every source,
 * parsed, checked with positioned diagnostics and merged (later wins key by
 * key); the kernel command line; the config Ignition ran; and `validate`,
 * which checks whole Ignition configs on a workstation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "lib/diag.h"
#include "selinux/selinux.h"

/* ---- config.h */
/* The `selinux` block: parsing, validation with positioned diagnostics, and
 * merging of several sources (later wins key by key). */




/* Merged configuration. Unset keys keep what the target already has. Each
 * set key remembers where it came from ("FILE:LINE:COL") for messages. */
/* One declared boolean default ("booleans": {"name": true}). */
struct se_boolean {
        char *name;
        int value;
        char *origin;
};

/* One declared policy module ("modules": [{"name": ..., "cil": ...}]). */
struct se_module {
        char *name;
        char *cil; /* the CIL text (from "cil" or a decoded "source"); NULL when removed */
        size_t cil_len;
        int priority; /* libsemanage priority, 1..999 */
        bool remove;
        char *origin; /* "FILE:LINE:COL" */
        char *jpath;  /* "$.selinux.modules[N]" */
};

/* Priority of declared modules unless they say otherwise: semodule's own
 * default for local modules, above the distribution's 100. */
#define MODULE_PRIORITY_DEFAULT 400

struct se_config {
        enum se_mode mode;
        char *policy;      /* SELINUXTYPE, NULL if unset */
        int audit_denials; /* -1 unset, 0 or 1 */
        char *mode_origin, *policy_origin, *audit_origin;
        int btrfs_fatal;   /* "btrfs": -1 unset, 0 "warn", 1 "fail" */
        char *btrfs_origin;
        struct se_boolean *booleans; /* each name once, later sources win */
        size_t n_booleans;
        struct se_module *modules; /* each name once, later sources win */
        size_t n_modules;
        char **permissive;         /* permissiveDomains, sorted, unique; NULL if unset */
        char **permissive_origins; /* "FILE:LINE:COL" of each one's first mention */
        size_t n_permissive;
        char *permissive_origin;   /* of the list */
        bool found; /* some source held a block */
};

void se_config_init(struct se_config *c);
void se_config_free(struct se_config *c);

enum config_kind {
        /* A whole raw Ignition config: `selinux` is an optional top-level
         * key, every other top-level key belongs to Ignition and is ignored. */
        CONFIG_KIND_IGNITION,
        /* The file form (/etc/selinux/ignition.json): an object whose only
         * key is `selinux`. */
        CONFIG_KIND_BLOCK_FILE,
};

/* Largest block file (/etc/selinux/ignition.json) read, in bytes: far
 * more than a block needs (100,000 booleans take 2 MiB). */
#define CONFIG_MAX_SIZE ((size_t)16 * 1024 * 1024)

/* Largest raw Ignition config read (base.d, user.ign, fw_cfg, --config, the
 * config Ignition ran, `validate`'s input), in bytes. Ignition itself sets
 * no limit: a config embedding files as data: URLs can be large, and
 * reading it costs us its size and little more (only the selinux block is
 * parsed into values). */
#define IGNITION_MAX_SIZE ((size_t)256 * 1024 * 1024)

/* The selinux block is parsed into json-c's values only if it holds at most
 * this many values, and this many of them objects or arrays: json-c spends
 * some 700 bytes on each object, 70 on any other value, and a block of a
 * few megabytes of "{}" would otherwise cost gigabytes. 100,000 booleans,
 * 100,000 permissive domains and 10,000 modules are some 230,000 values. */
#define BLOCK_MAX_VALUES 1000000u
#define BLOCK_MAX_CONTAINERS 100000u

/* Parses `len` bytes of `text` (need not be NUL-terminated) read from
 * `name` (used in messages) and merges its block, if any, into `cfg`.
 * Sets *found when the input held a `selinux` block. Every problem is added
 * to `d` as "name:LINE:COL: $.path: what was expected, what was found";
 * on any error `cfg` is left untouched and -EINVAL is returned.
 * Returns 0, -EINVAL or -ENOMEM. */
int config_parse(const char *name, const char *text, size_t len, enum config_kind kind,
                 struct se_config *cfg, bool *found, struct diags *d);

/* Reads all of fd (a regular file of at most CONFIG_MAX_SIZE bytes for a
 * block file, IGNITION_MAX_SIZE for a raw config, else a diagnostic) and
 * calls config_parse(). Returns as config_parse, or a negative errno on I/O. */
int config_parse_fd(int fd, const char *name, enum config_kind kind, struct se_config *cfg,
                    bool *found, struct diags *d);

/* Reads all of fd, a regular file of at most `max` bytes (checked before
 * reading): "NAME: not a regular file (a FIFO)" or "NAME: input is too
 * large (...)" and -EINVAL otherwise. *buf is malloc'd, NUL-terminated.
 * Returns 0, -EINVAL or another -errno. */
int config_read_fd(int fd, const char *name, size_t max, char **buf, size_t *len, struct diags *d);

/* True if `s` is a valid policy name: 1 to 255 printable ASCII characters,
 * no spaces, no '/', not "." or "..". */
bool policy_name_valid(const char *s);

/* True if `s` can name a policy module, as libsemanage requires: a letter,
 * then letters, digits, '_', '-', single dots between them; at most 255. */
bool module_name_valid(const char *s);

/* True if `s` can name a type: 1 to 255 of [A-Za-z0-9_.-], not starting
 * with '.' or '-'. */
bool type_name_valid(const char *s);

/* True if `s` can name a boolean: 1 to 255 of [A-Za-z0-9_]. */
bool boolean_name_valid(const char *s);

/* The syntax stage of config_parse(): at most `max` bytes, no NUL bytes,
 * no byte order mark, UTF-8, strict JSON (RFC 8259), not empty. Adds
 * "name:LINE:COL: $: invalid JSON: ..." (or "empty input") to `d`. Linear,
 * allocates nothing. Returns 0, -EINVAL or -ENOMEM. */
int config_check_syntax(const char *name, const char *text, size_t len, size_t max, struct diags *d);

/* ---- cmdline.h */
/* The kernel command line: the switches that decide this boot's mode and the
 * platform id that Ignition uses. */



struct kcmdline {
        int enforcing; /* -1 absent, else 0 or 1 (last occurrence wins) */
        int selinux;   /* -1 absent, else 0 or 1 */
        char *platform; /* ignition.platform.id=, NULL if absent */
        bool firstboot; /* Ignition runs this boot */
};

void kcmdline_init(struct kcmdline *k);
void kcmdline_free(struct kcmdline *k);
/* Parses a command line as the kernel splits it (whitespace separated,
 * double quotes group). Malformed values of the switches we read are
 * warnings in `d` (named `name`) and are ignored, as the kernel ignores
 * them. Returns 0 or -ENOMEM. */
int kcmdline_parse(const char *name, const char *text, struct kcmdline *k, struct diags *d);
/* Reads and parses the file `path` (/proc/cmdline). A file that cannot be
 * read (or is no regular file) is an error in `d` and -EINVAL. */
#define CMDLINE_MAX (1u << 20)
int kcmdline_read(const char *path, struct kcmdline *k, struct diags *d);

/* ---- sources.h */
/* Where the `selinux` block comes from, in the order later-wins merging
 * applies them (docs/ignition-selinux.json.5, "SOURCES"):
 *   1. raw Ignition configs the initramfs holds itself: base.d/NAME.ign (lexical),
 *      base.platform.d/PLATFORM/NAME.ign, user.ign, QEMU fw_cfg blobs;
 *   2. /etc/selinux/ignition.json on the target root, written by the user's
 *      Ignition config;
 *   3. the kernel command line, which decides only this boot's mode (see
 *      plan.c), and is read separately (cmdline.h). */


#define TARGET_BLOCK_FILE "/etc/selinux/ignition.json"

struct source_opts {
        const char *source_root;   /* prefix for the raw sources, "/" in the initramfs */
        const char *const *configs; /* explicit raw configs replacing step 1, or NULL */
        size_t n_configs;
        const char *platform;      /* for base.platform.d, may be NULL */
};

/* Step 1: merges every raw source present into cfg. Missing files are not an
 * error; unreadable or invalid ones are. */
int sources_read_raw(const struct source_opts *o, struct se_config *cfg, struct diags *d);

/* Step 2: merges the target's block file, if present. `root_display` prefixes
 * its name in messages ("/sysroot"). */
int sources_read_target(int rootfd, const char *root_display, struct se_config *cfg,
                        struct diags *d);

/* ---- ignition-cache.h */
/* The config Ignition ran, as it caches it in the initramfs
 * (/run/ignition.json: re-marshalled from its typed config, so the
 * `selinux` key is gone but every storage, systemd and passwd entry is
 * there). It tells what Ignition's disks and files stages wrote on the
 * target. Read once, leniently: it is Ignition's own output, and a missing
 * or unreadable one only means less is known. */



#define IGNITION_CACHE "/run/ignition.json"
/* Files Ignition writes on the target on its own. */
#define IGNITION_PRESET_FILE "/etc/systemd/system-preset/20-ignition.preset"
#define IGNITION_RESULT_FILE "/etc/.ignition-result.json"

/* storage.filesystems[]: what the disks stage formatted and the mount
 * stage mounted under the target root. */
struct ign_filesystem {
        char *device, *format, *path; /* NULL where not given */
        bool wipe;
        const char *file; /* the config it came from */
        size_t index;     /* in $.storage.filesystems */
};

/* passwd.users[]: whose home Ignition (useradd) may have created. */
struct ign_user {
        char *name, *home; /* home NULL: the target's passwd entry decides */
};

struct ignition_cache {
        char **files; /* the configs read (the first one names messages) */
        size_t n_files;
        struct ign_filesystem *fs;
        size_t n_fs;
        /* In-root paths the files stage wrote: storage.files, .directories
         * and .links, units with contents, the directories of drop-ins,
         * masked units, the preset file when a unit is enabled or disabled.
         * As declared: not normalised, not checked against the target. */
        char **paths;
        size_t n_paths;
        struct ign_user *users;
        size_t n_users;
        bool read; /* at least one config was read and parsed */
};

/* Reads each of `files` (regular files only, at most CONFIG_MAX_SIZE
 * bytes); one that is missing, unreadable or not an Ignition config adds a
 * warning to `d` (when `warn_missing`, also a missing one) and is skipped.
 * Returns 0 or -ENOMEM. */
int ignition_cache_read(const char *const *files, size_t n_files, bool warn_missing, struct ignition_cache *c,
                        struct diags *d);
void ignition_cache_free(struct ignition_cache *c);

/* ---- validate.h */
/* `ignition-selinux validate`: check Ignition configs or block files on a
 * workstation, before they are used to provision machines. */



/* Validates the file at `path`: a whole Ignition config (top-level `selinux`
 * and/or a storage.files entry for /etc/selinux/ignition.json, whose data: URL
 * is decoded and validated) or a bare block file. Adds errors and warnings to
 * `d`. Returns 0 if valid, -EINVAL if not, another negative errno if the file
 * cannot be read. */
int validate_file(const char *path, struct diags *d);

/* As validate_file(), on `len` bytes of `text` (need not be NUL-terminated)
 * named `name` in messages. Returns 0 if valid, -EINVAL if not, -ENOMEM. */
int validate_buffer(const char *name, const char *text, size_t len, struct diags *d);
