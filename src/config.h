/* SPDX-License-Identifier: MIT */
/* The `selinux` block: parsing, validation with positioned diagnostics, and
 * merging of several sources (later wins key by key). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum se_mode { SE_MODE_UNSET = 0, SE_MODE_ENFORCING, SE_MODE_PERMISSIVE, SE_MODE_DISABLED };

/* Accepted JSON values, and the SELINUX= words, for each mode. */
const char *se_mode_to_string(enum se_mode m);
enum se_mode se_mode_from_string(const char *s); /* SE_MODE_UNSET if unknown */

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
        size_t n_permissive;
        char *permissive_origin;
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

/* Largest input accepted, in bytes. */
#define CONFIG_MAX_SIZE (16u * 1024 * 1024)

/* Parses `len` bytes of `text` (need not be NUL-terminated) read from
 * `name` (used in messages) and merges its block, if any, into `cfg`.
 * Sets *found when the input held a `selinux` block. Every problem is added
 * to `d` as "name:LINE:COL: $.path: what was expected, what was found";
 * on any error `cfg` is left untouched and -EINVAL is returned.
 * Returns 0, -EINVAL or -ENOMEM. */
int config_parse(const char *name, const char *text, size_t len, enum config_kind kind,
                 struct se_config *cfg, bool *found, struct diags *d);

/* Reads all of fd (at most CONFIG_MAX_SIZE, else a diagnostic) and calls
 * config_parse(). Returns as config_parse, or a negative errno on I/O. */
int config_parse_fd(int fd, const char *name, enum config_kind kind, struct se_config *cfg,
                    bool *found, struct diags *d);

/* True if `s` is a valid policy name: not empty, no '/', not "." or "..",
 * printable ASCII, at most 255 bytes. */
bool policy_name_valid(const char *s);

/* True if `s` can name a policy module, as libsemanage requires: a letter,
 * then letters, digits, '_', '-', single dots between them; at most 255. */
bool module_name_valid(const char *s);

/* True if `s` can name a type: 1 to 255 of [A-Za-z0-9_.-], not starting
 * with '.' or '-'. */
bool type_name_valid(const char *s);

/* True if `s` can name a boolean: 1 to 255 of [A-Za-z0-9_]. */
bool boolean_name_valid(const char *s);

/* The steps below config_parse(), for callers that look further into the
 * same text (validate). */
struct json_object;

/* The syntax stage of config_parse(): size, NUL bytes, UTF-8, strict JSON.
 * Adds "name:LINE:COL: $: invalid JSON: ..." (or "empty input") to `d`. On
 * success *out is json-c's tree, to be released with json_object_put().
 * Returns 0, -EINVAL or -ENOMEM. */
int config_parse_json(const char *name, const char *text, size_t len, struct json_object **out,
                      struct diags *d);
