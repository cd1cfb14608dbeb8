/* SPDX-License-Identifier: MIT */
#include "plan.h"
#include "steps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "auditrules.h"
#include "written.h"
#include "lib/diag.h"
#include "lib/fsutil.h"
#include "lib/hint.h"
#include "lib/log.h"
#include "lib/root.h"
#include "lib/util.h"
#include "selinux/selinux.h"

/* A symlink at `path` (into /usr on Flatcar) becomes a real copy. -ENOENT:
 * nothing is at `path`. */
static int plan_copy(const struct plan_input *in, struct plan *p, const char *path, struct diags *d) {
        _cleanup_free_ char *target = NULL, *resolved = NULL;
        struct stat st;
        int r;

        r = plan_cleanup(in, p, path);
        if (r < 0)
                return r;
        r = root_lstat(in->rootfd, path, &st);
        if (r == -ENOENT)
                return r;
        if (r == -ELOOP || r == -EXDEV) {
                diags_add(d, DIAG_ERROR, "%s%s: a parent directory is a symlink; refusing to write through it",
                          in->root_display, path);
                return -EINVAL;
        }
        if (r < 0)
                return log_errno(r, "Failed to inspect %s%s", in->root_display, path);
        if (!S_ISLNK(st.st_mode))
                return 0;
        r = root_readlink(in->rootfd, path, &target);
        if (r < 0)
                return log_errno(r, "Failed to read symlink %s%s", in->root_display, path);
        r = root_realpath(in->rootfd, path, &resolved);
        _cleanup_close_ int fd = r < 0 ? r : root_open_in(in->rootfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                diags_add(d, DIAG_ERROR, "%s%s: symlink to %s does not lead to a directory inside the root",
                          in->root_display, path, target);
                return -EINVAL;
        }
        /* A link to one of its own ancestors would copy a tree into itself. */
        size_t rl = strlen(resolved);
        if (streq(resolved, "/") || (strncmp(path, resolved, rl) == 0 && (path[rl] == '/' || !path[rl]))) {
                diags_add(d, DIAG_ERROR, "%s%s: symlink to %s leads to %s, which contains it; refusing to copy",
                          in->root_display, path, target, resolved);
                return -EINVAL;
        }
        return add_step(p, STEP_COPY_DIR, path, NULL, "replace symlink %s -> %s by a labelled copy of %s",
                        path, target, resolved);
}

/* A /var that Ignition made on a fresh filesystem has no /var/lib/selinux: Flatcar's tmpfiles
 * would link it to the read-only store after switch-root, where setsebool -P and semodule fail.
 * It becomes the labelled copy the link would have been replaced by. */
static int plan_fresh_store(struct plan_input *in, struct plan *p) {
        struct stat st;
        int r;

        _cleanup_close_ int fd = root_open_in(in->rootfd, FLATCAR_STORE, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return 0; /* no store to copy: not Flatcar's layout */
        if (root_lstat(in->rootfd, "/var/lib", &st) == -ENOENT) {
                r = add_step(p, STEP_MKDIR, "/var/lib", NULL, "create /var/lib (a fresh /var)");
                if (r < 0)
                        return r;
                p->steps[p->n - 1].mode = 0755;
        }
        in->store_from_usr = true;
        return add_step(p, STEP_COPY_DIR, VAR_LIB_SELINUX, FLATCAR_STORE,
                        "create %s as a labelled copy of %s (a fresh /var, not yet linked to it)",
                        VAR_LIB_SELINUX, FLATCAR_STORE);
}

static int plan_config(const struct plan_input *in, struct plan *p, const char *text, size_t len,
                       const struct stat *target_st) {
        _cleanup_free_ char *want = NULL;
        size_t want_len;
        struct stat st;
        int r;

        r = plan_cleanup(in, p, SELINUX_CONFIG);
        if (r < 0)
                return r;
        r = seconfig_rewrite(text, len, p->mode, p->type, &want, &want_len);
        if (r < 0)
                return r;
        r = root_lstat(in->rootfd, SELINUX_CONFIG, &st);
        if (r < 0 && r != -ENOENT)
                return log_errno(r, "Failed to inspect %s%s", in->root_display, SELINUX_CONFIG);
        if (r == 0 && S_ISREG(st.st_mode) && want_len == len && memcmp(want, text, len) == 0)
                return 0;
        r = add_step(p, STEP_WRITE_FILE, SELINUX_CONFIG, NULL, "write %s: SELINUX=%s SELINUXTYPE=%s%s",
                     SELINUX_CONFIG, se_mode_to_string(p->mode), p->type,
                     r == 0 && S_ISLNK(st.st_mode) ? " (a regular file replacing the symlink)" : "");
        if (r < 0)
                return r;
        set_payload(p, TAKE_PTR(want), want_len, target_st);
        return 0;
}

/* Labels for what Ignition wrote, whenever SELinux is on after
 * switch-root: without them an enforcing machine cannot use its own
 * units, users and files (ignition-written.h). Planned when something
 * there has no label; it then labels every place as `setfiles -F` would.
 * It comes before the mode is persisted, and after a rebuild, whose file
 * contexts it uses. */
static int plan_written(const struct plan_input *in, struct plan *p) {
        static const struct ignition_cache none = {0};
        struct written w;
        size_t at = 0;
        int r;

        if (p->mode == SE_MODE_DISABLED || !p->type[0])
                return 0;
        _cleanup_free_ char *pdir = NULL;
        if (asprintf(&pdir, "/etc/selinux/%s", p->type) < 0)
                return -ENOMEM;
        if (!exists_in(in, pdir)) {
                log_debug("no %s on the target: nothing Ignition wrote can be labelled", pdir);
                return 0;
        }
        r = written_find(in->rootfd, in->ignition ? in->ignition : &none, &w);
        if (r < 0)
                return log_errno(r, "Failed to find what Ignition wrote on %s", in->root_display[0] ? in->root_display : "/");
        if (w.n_unlabelled == 0) {
                written_free(&w);
                return 0;
        }
        for (size_t i = 0; i < p->n; i++)
                if (p->steps[i].kind == STEP_REBUILD || p->steps[i].kind == STEP_RELABEL)
                        at = i + 1;
        r = add_step(p, STEP_LABEL, "/", NULL,
                     "label %zu unlabelled entr%s Ignition wrote, and the rest of %zu place%s it wrote, as setfiles -F would",
                     w.n_unlabelled, w.n_unlabelled == 1 ? "y" : "ies", w.n_roots, w.n_roots == 1 ? "" : "s");
        if (r < 0) {
                written_free(&w);
                return r;
        }
        struct step s = p->steps[p->n - 1];
        s.roots = TAKE_PTR(w.roots);
        s.n_roots = w.n_roots;
        s.entries = TAKE_PTR(w.unlabelled);
        s.n_entries = w.n_unlabelled;
        memmove(&p->steps[at + 1], &p->steps[at], (p->n - 1 - at) * sizeof(struct step));
        p->steps[at] = s;
        return 0;
}

static void free_steps(struct plan *p);

static bool writes_labels(const struct step *s) {
        return s->kind == STEP_COPY_DIR || s->kind == STEP_WRITE_FILE || s->kind == STEP_COPY_FILE ||
               s->kind == STEP_MKDIR || s->kind == STEP_LABEL;
}

/* The file contexts every labelling step uses, loaded now: file contexts
 * that are missing or do not load fail the plan, with nothing changed,
 * rather than a step half way through. (Under `disabled` the files are
 * written unlabelled; with no block at all, what Ignition wrote is left as
 * it is.) */
static int plan_labels(const struct plan_input *in, struct plan *p, struct diags *d) {
        _cleanup_free_ char *dir = NULL;
        bool needed = false;
        int r;

        for (size_t i = 0; i < p->n; i++)
                needed = needed || writes_labels(&p->steps[i]);
        if (!needed)
                return 0;
        if (asprintf(&dir, "/etc/selinux/%s", p->type) < 0)
                return -ENOMEM;
        _cleanup_close_ int pfd = root_open_in(in->rootfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = pfd < 0 ? pfd : labeler_open(pfd, &p->labeler);
        if (r >= 0 || r == -ENOMEM)
                return r;
        const char *why = labeler_error() ? labeler_error() : strerror(-r);
        if (p->mode == SE_MODE_DISABLED) {
                diags_add(d, DIAG_WARNING, "%s%s/contexts/files/file_contexts: cannot be loaded (%s): the files "
                          "this run writes stay unlabelled", in->root_display, dir, why);
                return 0;
        }
        if (!in->cfg->found && p->n == 1 && p->steps[0].kind == STEP_LABEL) {
                diags_add(d, DIAG_WARNING, "%s%s/contexts/files/file_contexts: cannot be loaded (%s): what Ignition "
                          "wrote stays unlabelled", in->root_display, dir, why);
                free_steps(p);
                return 0;
        }
        diags_add(d, DIAG_ERROR, "%s%s/contexts/files/file_contexts: cannot be loaded (%s), and the files this "
                  "run writes need their labels", in->root_display, dir, why);
        return -EINVAL;
}

static void resolve_boot_mode(const struct plan_input *in, struct plan *p, const char *declared) {
        const struct kcmdline *k = in->kcmd;
        const char *why;

        if (k && k->selinux == 0) {
                p->boot_mode = SE_MODE_DISABLED;
                why = "selinux=0 on the kernel command line";
        } else if (p->mode == SE_MODE_DISABLED) {
                p->boot_mode = SE_MODE_DISABLED;
                why = declared;
        } else if (k && k->enforcing >= 0) {
                p->boot_mode = k->enforcing ? SE_MODE_ENFORCING : SE_MODE_PERMISSIVE;
                why = k->enforcing ? "enforcing=1 on the kernel command line"
                                   : "enforcing=0 on the kernel command line";
        } else {
                p->boot_mode = p->mode;
                why = declared;
        }
        p->boot_mode_reason = strdup(why);
}

int plan_build(const struct plan_input *given, struct plan *p, struct diags *d) {
        struct plan_input input = *given, *in = &input;
        const struct se_config *cfg = in->cfg;
        _cleanup_free_ char *text = NULL, *pdir = NULL, *declared = NULL;
        struct seconfig_values cur = {0};
        struct stat st = {.st_mode = S_IFREG | 0644};
        size_t len = 0;
        int r;

        *p = (struct plan){.block_found = cfg->found};
        r = read_in(in, SELINUX_CONFIG, SMALL_FILE_MAX, &text, &len, &st, d);
        if (r < 0 && r != -ENOENT)
                return r;
        bool missing = r == -ENOENT;
        if (missing) {
                st = (struct stat){.st_mode = S_IFREG | 0644};
                text = strdup("");
                if (!text)
                        return -ENOMEM;
        }
        r = seconfig_parse(text, len, &cur);
        if (r < 0)
                return r;

        p->mode = cfg->mode != SE_MODE_UNSET ? cfg->mode : cur.mode;
        p->type = strdup(cfg->policy ? cfg->policy : cur.type ? cur.type : "");
        seconfig_values_free(&cur);
        if (!p->type)
                return -ENOMEM;
        if (cfg->mode != SE_MODE_UNSET ? asprintf(&declared, "declared in %s", cfg->mode_origin) < 0
                                       : !(declared = strdup("the target's /etc/selinux/config")))
                return -ENOMEM;

        if (!cfg->found) {
                /* Nothing declared: the image's own settings stand, untouched. */
                if (p->mode == SE_MODE_UNSET)
                        p->mode = SE_MODE_PERMISSIVE;
                if ((r = plan_written(in, p)) < 0 || (r = plan_labels(in, p, d)) < 0)
                        return r;
                resolve_boot_mode(in, p, "the target's /etc/selinux/config (no selinux block)");
                return p->boot_mode_reason ? 0 : -ENOMEM;
        }
        if (p->mode == SE_MODE_UNSET) {
                diags_add(d, DIAG_ERROR, "%s%s: %s and the config sets no $.selinux.mode", in->root_display,
                          SELINUX_CONFIG, missing ? "no such file" : "no valid SELINUX= line");
                return -EINVAL;
        }
        if (!p->type[0]) {
                diags_add(d, DIAG_ERROR, "%s%s: %s and the config sets no $.selinux.policy", in->root_display,
                          SELINUX_CONFIG, missing ? "no such file" : "no SELINUXTYPE= line");
                return -EINVAL;
        }
        /* Names from the target's config are shown cut and escaped: they
         * are its bytes, not the checked block's. */
        char shown[QUOTED_SIZE];
        diag_quote(shown, sizeof(shown), p->type, strlen(p->type), QUOTED_MAX_CHARS);
        if (!policy_name_valid(p->type)) {
                diags_add(d, DIAG_ERROR, "%s%s: SELINUXTYPE=%s: expected a policy name (a directory of /etc/selinux)",
                          in->root_display, SELINUX_CONFIG, shown);
                return -EINVAL;
        }
        if (asprintf(&pdir, "/etc/selinux/%s", p->type) < 0)
                return -ENOMEM;
        _cleanup_close_ int pfd = root_open_in(in->rootfd, pdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0) {
                if (cfg->policy)
                        diags_add(d, DIAG_ERROR, "%s: $.selinux.policy: expected a policy installed on the target, got %s (%s/etc/selinux/: %s)",
                                  cfg->policy_origin, shown, in->root_display, strerror(-pfd));
                else
                        diags_add(d, DIAG_ERROR, "%s%s: SELINUXTYPE=%s, but %s%s: %s", in->root_display,
                                  SELINUX_CONFIG, p->type, in->root_display, pdir, strerror(-pfd));
                return -EINVAL;
        }

        if (p->mode != SE_MODE_DISABLED) {
                r = plan_copy(in, p, pdir, d);
                if (r >= 0 || r == -ENOENT)
                        r = plan_copy(in, p, VAR_LIB_SELINUX, d);
                if (r == -ENOENT)
                        r = plan_fresh_store(in, p);
                if (r < 0)
                        return r;
        }
        r = plan_config(in, p, text, len, &st);
        if (r < 0)
                return r;
        if (cfg->audit_denials >= 0) {
                if (p->mode == SE_MODE_DISABLED)
                        diags_add(d, DIAG_WARNING, "%s: $.selinux.auditDenials: ignored with mode \"disabled\"",
                                  cfg->audit_origin);
                else if ((r = plan_audit(in, p, d)) < 0)
                        return r;
        }
        if (cfg->n_booleans > 0) {
                if (p->mode == SE_MODE_DISABLED)
                        diags_add(d, DIAG_WARNING, "%s: $.selinux.booleans: ignored with mode \"disabled\"",
                                  cfg->booleans[0].origin);
                else if ((r = plan_booleans(in, p, d)) < 0 && r != -EINVAL)
                        return r;
        }
        /* Bad booleans do not hide a bad module or permissive domain: each
         * problem of the block is reported in one run. */
        int bad = r == -EINVAL;
        if (p->mode != SE_MODE_DISABLED && (cfg->n_modules > 0 || cfg->permissive) &&
            (r = plan_modules(in, p, d)) < 0)
                return r;
        if (bad)
                return -EINVAL;
        r = plan_rebuild(in, p);
        if (r >= 0)
                r = plan_written(in, p);
        if (r >= 0)
                r = plan_check_ways(in, p, d);
        if (r >= 0)
                r = plan_labels(in, p, d);
        if (r < 0)
                return r;
        resolve_boot_mode(in, p, declared);
        return p->boot_mode_reason ? 0 : -ENOMEM;
}

/* The steps only: the plan's type and modes stay. */
static void free_steps(struct plan *p) {
        for (size_t i = 0; i < p->n; i++)
                step_free(&p->steps[i]);
        free(p->steps);
        p->steps = NULL;
        p->n = p->allocated = 0;
}

void plan_free(struct plan *p) {
        free_steps(p);
        for (size_t i = 0; i < p->n_ops; i++) {
                free(p->ops[i].name);
                free(p->ops[i].cil);
                free(p->ops[i].origin);
        }
        free(p->ops);
        free(p->type);
        free(p->boot_mode_reason);
        labeler_free(p->labeler);
        *p = (struct plan){0};
}

void plan_print(const struct plan *p, bool verbose, FILE *f) {
        if (!p->block_found && p->n == 0)
                fprintf(f, "no selinux block in any source: the target is left as the image made it\n");
        else if (!p->block_found)
                fprintf(f, "no selinux block in any source: SELinux stays as the image made it, and what Ignition "
                           "wrote gets its labels\n");
        else if (p->n == 0)
                fprintf(f, "nothing to change: the target already has SELINUX=%s SELINUXTYPE=%s\n",
                        se_mode_to_string(p->mode), p->type);
        for (size_t i = 0; i < p->n; i++) {
                const struct step *s = &p->steps[i];
                fprintf(f, "  %2zu. %s\n", i + 1, s->why);
                for (size_t k = 0; verbose && k < s->n_roots; k++)
                        fprintf(f, "        place: %s\n", s->roots[k]);
                for (size_t k = 0; verbose && k < s->n_entries; k++)
                        fprintf(f, "        unlabelled: %s\n", s->entries[k]);
        }
        fprintf(f, "this boot: %s (%s)\n", se_mode_to_string(p->boot_mode), p->boot_mode_reason);
}
