/* SPDX-License-Identifier: MIT */
/* "auditDenials": the audit rules that hide denials set aside, the store
 * marked as `semodule -D` marks it, and the binary policies written without
 * their dontaudit rules (the originals kept beside the store); `false` undoes
 * it byte for byte. */
#include "steps.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditrules.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/util.h"
#include "selinux/selinux.h"

struct audit_ctx {
        const struct plan_input *in;
        struct plan *p;
        struct diags *d;
        char *store, *backup_dir;
        bool backup_dir_planned;
        /* The last policy stripped and where its stripped copy is written:
         * the store's policy.kern is usually the very bytes of policy.N, and
         * is then neither stripped again nor held twice in RAM, but copied
         * from the file already written. */
        char *last_in, *last_path;
        size_t last_in_len, last_count;
};

/* Strips `in`, or finds it identical to the policy stripped last: then
 * *stripped is NULL and *copy_from names the file to copy. */
static int strip_once(struct audit_ctx *a, const char *path, const char *in, size_t len, void **stripped,
                      size_t *stripped_len, size_t *count, const char **copy_from) {
        int r;

        *copy_from = NULL;
        if (a->last_in && same_bytes(a->last_in, a->last_in_len, in, len)) {
                *stripped = NULL;
                *count = a->last_count;
                *copy_from = a->last_path;
                return 0;
        }
        r = dontaudit_strip(in, len, stripped, stripped_len, count);
        if (r < 0)
                return r;
        free(a->last_in);
        free(a->last_path);
        a->last_in = malloc(len ? len : 1);
        a->last_path = strdup(path);
        if (!a->last_in || !a->last_path)
                return -ENOMEM;
        memcpy(a->last_in, in, len);
        a->last_in_len = len;
        a->last_count = *count;
        return 0;
}

static int plan_rules(struct audit_ctx *a, bool enable) {
        const struct plan_input *in = a->in;
        _cleanup_free_ char *avc = NULL, *avc_saved = NULL, *def = NULL, *def_saved = NULL;
        int r;

        if (asprintf(&avc, "%s/%s", AUDIT_RULES_DIR, AUDIT_RULES_AVC) < 0 ||
            asprintf(&avc_saved, "%s%s", avc, AUDIT_SAVED_SUFFIX) < 0 ||
            asprintf(&def, "%s/%s", AUDIT_RULES_DIR, AUDIT_RULES_DEFAULT) < 0 ||
            asprintf(&def_saved, "%s%s", def, AUDIT_SAVED_SUFFIX) < 0)
                return -ENOMEM;

        if (!enable) {
                if (exists_in(in, avc_saved) &&
                    (r = add_step(a->p, STEP_RENAME, avc_saved, avc, "restore %s", avc)) < 0)
                        return r;
                if (exists_in(in, def_saved) &&
                    (r = add_step(a->p, STEP_RENAME, def_saved, def, "restore %s", def)) < 0)
                        return r;
                return 0;
        }

        if (exists_in(in, avc) &&
            (r = add_step(a->p, STEP_RENAME, avc, avc_saved,
                          "set %s aside (it drops every AVC record)", avc)) < 0)
                return r;

        _cleanup_free_ char *text = NULL, *filtered = NULL;
        size_t len, flen, removed;
        struct stat st;
        r = plan_cleanup(in, a->p, def);
        if (r < 0)
                return r;
        r = read_in(in, def, SMALL_FILE_MAX, &text, &len, &st, a->d);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        r = auditrules_filter(text, len, &filtered, &flen, &removed);
        if (r < 0 || removed == 0)
                return r;
        if (exists_in(in, def_saved) &&
            (r = add_step(a->p, STEP_UNLINK, def_saved, NULL, "remove stale %s", def_saved)) < 0)
                return r;
        if ((r = add_step(a->p, STEP_LINK, def, def_saved, "keep the original %s as %s", def, def_saved)) < 0 ||
            (r = add_step(a->p, STEP_WRITE_FILE, def, NULL,
                          "write %s without its catch-all exclude rule", def)) < 0)
                return r;
        set_payload(a->p, TAKE_PTR(filtered), flen, &st);
        return 0;
}

static int plan_backup_dir(struct audit_ctx *a) {
        if (a->backup_dir_planned || exists_in(a->in, a->backup_dir))
                return 0;
        a->backup_dir_planned = true;
        int r = add_step(a->p, STEP_MKDIR, a->backup_dir, NULL,
                         "create %s for the policies as they were with dontaudit rules", a->backup_dir);
        if (r >= 0)
                a->p->steps[a->p->n - 1].mode = 0700;
        return r;
}

/* One binary policy (the loaded one, or the store's policy.kern). `marked`:
 * the store carries libsemanage's disable_dontaudit marker. */
static int plan_policy(struct audit_ctx *a, const char *path, bool enable, bool marked) {
        const struct plan_input *in = a->in;
        _cleanup_free_ char *cur = NULL, *saved = NULL, *backup = NULL;
        _cleanup_free_ void *stripped = NULL;
        size_t cur_len, saved_len = 0, stripped_len, count;
        bool have_backup, tagged = tagged_stripped(in->rootfd, path);
        struct stat st, bst;
        int r;

        if (asprintf(&backup, "%s/%s", a->backup_dir, base_name(path)) < 0)
                return -ENOMEM;
        have_backup = lstat_in(in, backup, &bst) == 0;
        /* The cheap answers first: a run that finds everything in place must
         * not parse megabytes of policy. */
        if (enable && tagged)
                return 0;
        if (!enable && !have_backup && !marked && !tagged)
                return 0;

        r = read_in(in, path, POLICY_MAX_SIZE, &cur, &cur_len, &st, a->d);
        if (r == -ENOENT && !enable)
                return 0;
        if (r == -ENOENT)
                diags_add(a->d, DIAG_ERROR, "%s%s: no such policy, so its dontaudit rules cannot be removed",
                          in->root_display, path);
        if (r < 0)
                return r == -ENOENT ? -EINVAL : r;
        if (have_backup && (r = read_in(in, backup, POLICY_MAX_SIZE, &saved, &saved_len, &bst, a->d)) < 0)
                return r == -ENOENT ? -EINVAL : r;

        if (enable) {
                const char *copy_from;
                r = strip_once(a, path, cur, cur_len, &stripped, &stripped_len, &count, &copy_from);
                if (r == -EINVAL) {
                        diags_add(a->d, DIAG_ERROR, "%s%s: not a binary policy that libsepol can read",
                                  in->root_display, path);
                        return -EINVAL;
                }
                if (r < 0)
                        return log_errno(r, "Failed to remove dontaudit rules from %s%s", in->root_display, path);
                if (count == 0)
                        return 0;
                if (!have_backup || !same_bytes(saved, saved_len, cur, cur_len)) {
                        if ((r = plan_backup_dir(a)) < 0 ||
                            (r = add_step(a->p, STEP_COPY_FILE, backup, path, "save %s as %s", path, backup)) < 0)
                                return r;
                        /* Copied when applied: not a second policy held in RAM. */
                        set_payload(a->p, NULL, 0, &st);
                        if (!(a->p->steps[a->p->n - 1].meta_from = strdup(path)))
                                return -ENOMEM;
                }
                if (copy_from)
                        r = add_step(a->p, STEP_COPY_FILE, path, copy_from,
                                     "write %s without its %zu dontaudit rules (a copy of %s)", path, count,
                                     copy_from);
                else
                        r = add_step(a->p, STEP_WRITE_FILE, path, NULL, "write %s without its %zu dontaudit rules",
                                     path, count);
                if (r < 0)
                        return r;
                set_payload(a->p, TAKE_PTR(stripped), stripped_len, &st);
                a->p->steps[a->p->n - 1].tag = TAG_STRIPPED;
                return 0;
        }

        if (!have_backup) {
                r = dontaudit_count(cur, cur_len, &count);
                if (r >= 0 && count > 0)
                        return 0;
                /* Removed by something else (semodule -DB?), or by a rebuild
                 * of ours: only a rebuild brings them back. */
                log_debug("%s%s has no dontaudit rules and no saved original: planning a rebuild",
                          in->root_display, path);
                a->p->rebuild = true;
                return 0;
        }
        if (!same_bytes(saved, saved_len, cur, cur_len)) {
                /* Untagged, the file may have been rebuilt since: restoring the
                 * original would throw that rebuild away. */
                if (!tagged) {
                        r = dontaudit_strip(saved, saved_len, &stripped, &stripped_len, NULL);
                        if (r < 0 || !same_bytes(stripped, stripped_len, cur, cur_len)) {
                                log_debug("%s%s changed since auditDenials was enabled: planning a rebuild",
                                          in->root_display, path);
                                a->p->rebuild = true;
                                return 0;
                        }
                }
                r = add_step(a->p, STEP_WRITE_FILE, path, NULL, "restore %s with its dontaudit rules", path);
                if (r < 0)
                        return r;
                set_payload(a->p, TAKE_PTR(saved), saved_len, &bst);
                /* As it was: its other xattrs and its times, kept with it. */
                if (!(a->p->steps[a->p->n - 1].meta_from = strdup(backup)))
                        return -ENOMEM;
        }
        return add_step(a->p, STEP_UNLINK, backup, NULL, "remove the saved copy %s", backup);
}

int plan_audit(const struct plan_input *in, struct plan *p, struct diags *d) {
        bool enable = in->cfg->audit_denials == 1;
        _cleanup_free_ char *policy = NULL, *kern = NULL, *marker = NULL;
        struct audit_ctx a = {.in = in, .p = p, .d = d};
        struct stat st;
        int r;

        if (asprintf(&a.store, "%s/%s", VAR_LIB_SELINUX, p->type) < 0 ||
            asprintf(&a.backup_dir, "%s/%s", a.store, BACKUP_DIR) < 0 ||
            asprintf(&kern, "%s/active/policy.kern", a.store) < 0 ||
            asprintf(&marker, "%s/active/disable_dontaudit", a.store) < 0) {
                r = -ENOMEM;
                goto out;
        }
        if (lstat_in(in, a.store, &st) < 0 || !S_ISDIR(st.st_mode)) {
                diags_add(d, DIAG_ERROR, "%s: $.selinux.auditDenials: the target has no policy store %s%s to record it in",
                          in->cfg->audit_origin, in->root_display, a.store);
                r = -EINVAL;
                goto out;
        }
        r = policy_file_find(in->rootfd, p->type, -1, &policy);
        if (r < 0) {
                diags_add(d, DIAG_ERROR, "%s: $.selinux.auditDenials: no binary policy under %s/etc/selinux/%s/policy",
                          in->cfg->audit_origin, in->root_display, p->type);
                r = -EINVAL;
                goto out;
        }
        r = plan_rules(&a, enable);
        if (r < 0)
                goto out;
        bool has_marker = exists_in(in, marker);
        if (enable && !has_marker) {
                r = add_step(p, STEP_WRITE_FILE, marker, NULL,
                             "mark the store to build without dontaudit rules (as semodule -D does)");
                if (r < 0)
                        goto out;
                set_payload(p, strdup(""), 0, NULL);
        } else if (!enable && has_marker) {
                r = add_step(p, STEP_UNLINK, marker, NULL, "unmark the store: build with dontaudit rules");
                if (r < 0)
                        goto out;
        }
        r = plan_policy(&a, policy, enable, has_marker);
        if (r >= 0 && exists_in(in, kern))
                r = plan_policy(&a, kern, enable, has_marker);
        if (r >= 0 && !enable && exists_in(in, a.backup_dir))
                r = add_step(p, STEP_RMDIR, a.backup_dir, NULL, "remove %s", a.backup_dir);
out:
        free(a.store);
        free(a.backup_dir);
        free(a.last_in);
        free(a.last_path);
        return r;
}

