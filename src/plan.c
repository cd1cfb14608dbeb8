/* SPDX-License-Identifier: MIT */
#include "plan.h"
#include "plan-priv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "auditrules.h"
#include "booleans.h"
#include "dontaudit.h"
#include "fsutil.h"
#include "hint.h"
#include "ignition-written.h"
#include "log.h"
#include "policyfile.h"
#include "root.h"
#include "seconfig.h"
#include "util.h"

int add_step(struct plan *p, enum step_kind kind, const char *path, const char *path2,
                    const char *fmt, ...) {
        va_list ap;
        struct step *s;

        if (GROW_FOR(p->steps, p->n, p->allocated, 16) < 0)
                return -ENOMEM;
        s = &p->steps[p->n];
        *s = (struct step){.kind = kind, .mode = 0644};
        s->path = strdup(path);
        s->path2 = path2 ? strdup(path2) : NULL;
        va_start(ap, fmt);
        if (vasprintf(&s->why, fmt, ap) < 0)
                s->why = NULL;
        va_end(ap);
        if (!s->path || (path2 && !s->path2) || !s->why) {
                free(s->path);
                free(s->path2);
                free(s->why);
                return -ENOMEM;
        }
        p->n++;
        return 0;
}

/* The last step's payload: a file's new content and metadata. Takes `data`. */
void set_payload(struct plan *p, char *data, size_t len, const struct stat *st) {
        struct step *s = &p->steps[p->n - 1];
        s->data = data;
        s->len = len;
        if (st) {
                s->mode = st->st_mode & 07777;
                s->uid = st->st_uid;
                s->gid = st->st_gid;
        }
}

/* lstat of `path` with its parents resolved inside the root (through the
 * /usr links the plan is about to replace by copies of the same content). */
int lstat_in(int rootfd, const char *path, struct stat *st) {
        _cleanup_free_ char *dir = strdup(path);
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (!slash || !slash[1])
                return -EINVAL;
        *slash = 0;
        _cleanup_close_ int fd = root_open_in(rootfd, dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return fd;
        return fstatat(fd, slash + 1, st, AT_SYMLINK_NOFOLLOW) < 0 ? negerrno() : 0;
}

int read_in(int rootfd, const char *path, size_t max, char **buf, size_t *len, struct stat *st) {
        int r = read_full_in_root(rootfd, path, max, buf, len, st);

        if (r == -EISDIR || r == -EINVAL)
                log_error("%s is not a regular file", path);
        return r;
}

bool exists_in(int rootfd, const char *path) {
        struct stat st;
        return lstat_in(rootfd, path, &st) == 0;
}

/* Leftovers of an interrupted run beside `path` go first. */
int plan_cleanup(const struct plan_input *in, struct plan *p, const char *path) {
        _cleanup_free_ char *dir = strdup(path), *staged = NULL, *full = NULL;
        char *slash;
        struct stat st;
        int r;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        *slash = 0;
        r = staged_name(slash + 1, &staged);
        if (r < 0)
                return r;
        if (asprintf(&full, "%s/%s", dir, staged) < 0)
                return -ENOMEM;
        if (root_lstat(in->rootfd, full, &st) < 0)
                return 0;
        return add_step(p, STEP_REMOVE_STAGED, full, NULL, "remove %s, left by an interrupted run", full);
}

/* A symlink at `path` (into /usr on Flatcar) becomes a real copy. */
static int plan_copy(const struct plan_input *in, struct plan *p, const char *path, struct diags *d) {
        _cleanup_free_ char *target = NULL, *resolved = NULL;
        struct stat st;
        int r;

        r = plan_cleanup(in, p, path);
        if (r < 0)
                return r;
        r = root_lstat(in->rootfd, path, &st);
        if (r == -ENOENT)
                return 0;
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

static const char *base_name(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

static bool same_bytes(const char *a, size_t alen, const char *b, size_t blen) {
        return alen == blen && memcmp(a, b, alen) == 0;
}

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
                if (exists_in(in->rootfd, avc_saved) &&
                    (r = add_step(a->p, STEP_RENAME, avc_saved, avc, "restore %s", avc)) < 0)
                        return r;
                if (exists_in(in->rootfd, def_saved) &&
                    (r = add_step(a->p, STEP_RENAME, def_saved, def, "restore %s", def)) < 0)
                        return r;
                return 0;
        }

        if (exists_in(in->rootfd, avc) &&
            (r = add_step(a->p, STEP_RENAME, avc, avc_saved,
                          "set %s aside (it drops every AVC record)", avc)) < 0)
                return r;

        _cleanup_free_ char *text = NULL, *filtered = NULL;
        size_t len, flen, removed;
        struct stat st;
        r = plan_cleanup(in, a->p, def);
        if (r < 0)
                return r;
        r = read_in(in->rootfd, def, SMALL_FILE_MAX, &text, &len, &st);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_errno(r, "Failed to read %s%s", in->root_display, def);
        r = auditrules_filter(text, len, &filtered, &flen, &removed);
        if (r < 0 || removed == 0)
                return r;
        if (exists_in(in->rootfd, def_saved) &&
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
        if (a->backup_dir_planned || exists_in(a->in->rootfd, a->backup_dir))
                return 0;
        a->backup_dir_planned = true;
        int r = add_step(a->p, STEP_MKDIR, a->backup_dir, NULL,
                         "create %s for the policies as they were with dontaudit rules", a->backup_dir);
        if (r >= 0)
                a->p->steps[a->p->n - 1].mode = 0700;
        return r;
}

/* Whether `path` is a policy this program wrote without its dontaudit rules:
 * a rebuild replaces the file and so drops the tag. */
bool tagged_stripped(int rootfd, const char *path) {
        char v[sizeof(TAG_STRIPPED)];
        _cleanup_close_ int fd = root_open_in(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return false;
        ssize_t n = fgetxattr(fd, XATTR_TAG, v, sizeof(v) - 1);
        return n == (ssize_t)strlen(TAG_STRIPPED) && memcmp(v, TAG_STRIPPED, (size_t)n) == 0;
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
        have_backup = lstat_in(in->rootfd, backup, &bst) == 0;
        /* The cheap answers first: a run that finds everything in place must
         * not parse megabytes of policy. */
        if (enable && tagged)
                return 0;
        if (!enable && !have_backup && !marked && !tagged)
                return 0;

        r = read_in(in->rootfd, path, POLICY_MAX_SIZE, &cur, &cur_len, &st);
        if (r == -ENOENT && !enable)
                return 0;
        if (r < 0)
                return log_errno(r, "Failed to read %s%s", in->root_display, path);
        if (have_backup) {
                r = read_in(in->rootfd, backup, POLICY_MAX_SIZE, &saved, &saved_len, &bst);
                if (r < 0)
                        return log_errno(r, "Failed to read %s%s", in->root_display, backup);
        }

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
                set_payload(a->p, TAKE_PTR(saved), saved_len, &st);
        }
        return add_step(a->p, STEP_UNLINK, backup, NULL, "remove the saved copy %s", backup);
}

static int plan_audit(const struct plan_input *in, struct plan *p, struct diags *d) {
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
        if (lstat_in(in->rootfd, a.store, &st) < 0 || !S_ISDIR(st.st_mode)) {
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
        bool has_marker = exists_in(in->rootfd, marker);
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
        if (r >= 0 && exists_in(in->rootfd, kern))
                r = plan_policy(&a, kern, enable, has_marker);
        if (r >= 0 && !enable && exists_in(in->rootfd, a.backup_dir))
                r = add_step(p, STEP_RMDIR, a.backup_dir, NULL, "remove %s", a.backup_dir);
out:
        free(a.store);
        free(a.backup_dir);
        free(a.last_in);
        free(a.last_path);
        return r;
}

/* The content the plan leaves at `path`: the payload of the last step that
 * writes it, else what is there now. *step is that step, or NULL; *gone
 * when the plan removes the file. */
static int planned_content(const struct plan_input *in, struct plan *p, const char *path, struct step **step,
                           char **buf, size_t *len, struct stat *st, bool *gone) {
        *step = NULL;
        *gone = false;
        for (size_t i = p->n; i-- > 0;) {
                struct step *s = &p->steps[i];
                if (s->kind == STEP_UNLINK && streq(s->path, path)) {
                        *gone = true;
                        return 0;
                }
                if (s->kind == STEP_WRITE_FILE && streq(s->path, path)) {
                        *step = s;
                        return 0;
                }
                /* A copy leaves what its source holds when it runs: what an
                 * earlier step writes there, else what is there now. */
                if (s->kind == STEP_COPY_FILE && streq(s->path, path)) {
                        *step = s;
                        for (size_t j = i; j-- > 0;) {
                                const struct step *w = &p->steps[j];
                                if (w->kind == STEP_WRITE_FILE && streq(w->path, s->path2)) {
                                        *buf = malloc(w->len ? w->len : 1);
                                        if (!*buf)
                                                return -ENOMEM;
                                        memcpy(*buf, w->data, w->len);
                                        *len = w->len;
                                        *st = (struct stat){.st_mode = S_IFREG | s->mode, .st_uid = s->uid,
                                                            .st_gid = s->gid};
                                        return 0;
                                }
                        }
                        return read_in(in->rootfd, s->path2, POLICY_MAX_SIZE, buf, len, st);
                }
        }
        return read_in(in->rootfd, path, POLICY_MAX_SIZE, buf, len, st);
}

/* One policy file gets the declared boolean defaults, on top of whatever
 * the plan already writes there. */
static int plan_booleans_in(const struct plan_input *in, struct plan *p, const char *path,
                            const struct policy_boolean *want, size_t n) {
        _cleanup_free_ char *cur = NULL;
        _cleanup_free_ void *out = NULL;
        struct stat st;
        struct step *s;
        size_t len = 0, outlen, changed;
        bool gone;
        int r;

        r = planned_content(in, p, path, &s, &cur, &len, &st, &gone);
        if (r == -ENOENT || gone)
                return 0;
        if (r < 0)
                return log_errno(r, "Failed to read %s%s", in->root_display, path);
        bool from_step = s && s->kind == STEP_WRITE_FILE;
        r = booleans_set(from_step ? s->data : cur, from_step ? s->len : len, want, n, &out, &outlen, &changed,
                         NULL);
        if (r < 0)
                return log_errno(r, "Failed to set booleans in %s%s", in->root_display, path);
        if (changed == 0)
                return 0;
        if (s) {
                /* A planned copy becomes a write of the changed content. */
                s->kind = STEP_WRITE_FILE;
                free(s->data);
                s->data = TAKE_PTR(out);
                s->len = outlen;
                return 0;
        }
        r = add_step(p, STEP_WRITE_FILE, path, NULL, "write %s with %zu boolean default%s changed", path, changed,
                     changed == 1 ? "" : "s");
        if (r < 0)
                return r;
        set_payload(p, TAKE_PTR(out), outlen, &st);
        if (tagged_stripped(in->rootfd, path))
                p->steps[p->n - 1].tag = TAG_STRIPPED;
        return 0;
}

/* "booleans": persistent as `setsebool -P` makes them: in the store's
 * booleans.local, which later rebuilds apply, and in the compiled policies
 * (and their saved originals), so they hold from the first load. */
static int plan_booleans(const struct plan_input *in, struct plan *p, struct diags *d) {
        const struct se_config *cfg = in->cfg;
        _cleanup_free_ struct policy_boolean *want = calloc(cfg->n_booleans, sizeof(*want));
        _cleanup_free_ char *policy = NULL, *text = NULL, *local = NULL, *merged = NULL;
        _cleanup_free_ char **names = NULL;
        size_t len, n_names, mlen, local_len = 0;
        struct stat st = {.st_mode = S_IFREG | 0600};
        int r;

        if (!want)
                return -ENOMEM;
        for (size_t i = 0; i < cfg->n_booleans; i++)
                want[i] = (struct policy_boolean){cfg->booleans[i].name, cfg->booleans[i].value};
        r = policy_file_find(in->rootfd, p->type, -1, &policy);
        if (r >= 0)
                r = read_in(in->rootfd, policy, POLICY_MAX_SIZE, &text, &len, NULL);
        if (r >= 0)
                r = booleans_list(text, len, &names, &n_names);
        if (r < 0) {
                diags_add(d, DIAG_ERROR, "%s: $.selinux.booleans: cannot read the booleans of the %s policy on the target: %s",
                          cfg->booleans[0].origin, p->type, strerror(-r));
                return -EINVAL;
        }
        bool unknown = false;
        for (size_t i = 0; i < cfg->n_booleans; i++) {
                if (bsearch(&want[i].name, names, n_names, sizeof(char *), cmp_strings))
                        continue;
                const char *hint = hint_closest(want[i].name, (const char *const *)names, n_names);
                diags_add(d, DIAG_ERROR, "%s: $.selinux.booleans.%s: expected a boolean the %s policy defines, got \"%s\"%s%s%s",
                          cfg->booleans[i].origin, want[i].name, p->type, want[i].name,
                          hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
                unknown = true;
        }
        if (unknown)
                return -EINVAL;

        if (asprintf(&local, "%s/%s/active/booleans.local", VAR_LIB_SELINUX, p->type) < 0)
                return -ENOMEM;
        _cleanup_free_ char *old = NULL;
        r = read_in(in->rootfd, local, SMALL_FILE_MAX, &old, &local_len, &st);
        if (r < 0 && r != -ENOENT)
                return log_errno(r, "Failed to read %s%s", in->root_display, local);
        r = booleans_local_merge(old ? old : "", old ? local_len : 0, want, cfg->n_booleans, &merged, &mlen);
        if (r < 0)
                return r;
        if (!old || !same_bytes(old, local_len, merged, mlen)) {
                r = add_step(p, STEP_WRITE_FILE, local, NULL, "record %zu boolean%s in %s (as setsebool -P does)",
                             cfg->n_booleans, cfg->n_booleans == 1 ? "" : "s", local);
                if (r < 0)
                        return r;
                set_payload(p, TAKE_PTR(merged), mlen, &st);
        }

        _cleanup_free_ char *kern = NULL, *b1 = NULL, *b2 = NULL;
        if (asprintf(&kern, "%s/%s/active/policy.kern", VAR_LIB_SELINUX, p->type) < 0 ||
            asprintf(&b1, "%s/%s/%s/%s", VAR_LIB_SELINUX, p->type, BACKUP_DIR, base_name(policy)) < 0 ||
            asprintf(&b2, "%s/%s/%s/policy.kern", VAR_LIB_SELINUX, p->type, BACKUP_DIR) < 0)
                return -ENOMEM;
        const char *const paths[] = {policy, kern, b1, b2};
        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if ((r = plan_booleans_in(in, p, paths[i], want, cfg->n_booleans)) < 0)
                        return r;
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
        if (!exists_in(in->rootfd, pdir)) {
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

int plan_build(const struct plan_input *in, struct plan *p, struct diags *d) {
        const struct se_config *cfg = in->cfg;
        _cleanup_free_ char *text = NULL, *pdir = NULL, *declared = NULL;
        struct seconfig_values cur = {0};
        struct stat st = {.st_mode = S_IFREG | 0644};
        size_t len = 0;
        int r;

        *p = (struct plan){.block_found = cfg->found};
        r = read_in(in->rootfd, SELINUX_CONFIG, SMALL_FILE_MAX, &text, &len, &st);
        if (r < 0 && r != -ENOENT)
                return log_errno(r, "Failed to read %s%s", in->root_display, SELINUX_CONFIG);
        if (r == -ENOENT) {
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
                if ((r = plan_written(in, p)) < 0)
                        return r;
                resolve_boot_mode(in, p, "the target's /etc/selinux/config (no selinux block)");
                return p->boot_mode_reason ? 0 : -ENOMEM;
        }
        if (p->mode == SE_MODE_UNSET) {
                diags_add(d, DIAG_ERROR, "%s%s: no valid SELINUX= line and the config sets no $.selinux.mode",
                          in->root_display, SELINUX_CONFIG);
                return -EINVAL;
        }
        if (!p->type[0]) {
                diags_add(d, DIAG_ERROR, "%s%s: no SELINUXTYPE= line and the config sets no $.selinux.policy",
                          in->root_display, SELINUX_CONFIG);
                return -EINVAL;
        }
        if (asprintf(&pdir, "/etc/selinux/%s", p->type) < 0)
                return -ENOMEM;
        _cleanup_close_ int pfd = root_open_in(in->rootfd, pdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0) {
                if (cfg->policy)
                        diags_add(d, DIAG_ERROR, "%s: $.selinux.policy: expected a policy installed on the target, got \"%s\" (%s%s: %s)",
                                  cfg->policy_origin, p->type, in->root_display, pdir, strerror(-pfd));
                else
                        diags_add(d, DIAG_ERROR, "%s%s: SELINUXTYPE=%s, but %s%s: %s", in->root_display,
                                  SELINUX_CONFIG, p->type, in->root_display, pdir, strerror(-pfd));
                return -EINVAL;
        }

        if (p->mode != SE_MODE_DISABLED) {
                r = plan_copy(in, p, pdir, d);
                if (r >= 0)
                        r = plan_copy(in, p, VAR_LIB_SELINUX, d);
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
                else if ((r = plan_booleans(in, p, d)) < 0)
                        return r;
        }
        if (p->mode != SE_MODE_DISABLED && (cfg->n_modules > 0 || cfg->permissive) &&
            (r = plan_modules(in, p, d)) < 0)
                return r;
        r = plan_rebuild(in, p);
        if (r >= 0)
                r = plan_written(in, p);
        if (r < 0)
                return r;
        resolve_boot_mode(in, p, declared);
        return p->boot_mode_reason ? 0 : -ENOMEM;
}

void plan_free(struct plan *p) {
        for (size_t i = 0; i < p->n; i++) {
                free(p->steps[i].path);
                free(p->steps[i].path2);
                free(p->steps[i].data);
                free(p->steps[i].why);
                for (size_t k = 0; k < p->steps[i].n_roots; k++)
                        free(p->steps[i].roots[k]);
                free(p->steps[i].roots);
                for (size_t k = 0; k < p->steps[i].n_entries; k++)
                        free(p->steps[i].entries[k]);
                free(p->steps[i].entries);
        }
        free(p->steps);
        for (size_t i = 0; i < p->n_ops; i++) {
                free(p->ops[i].name);
                free(p->ops[i].cil);
                free(p->ops[i].origin);
        }
        free(p->ops);
        free(p->type);
        free(p->boot_mode_reason);
        *p = (struct plan){0};
}

void plan_print(const struct plan *p, bool verbose, FILE *f) {
        if (!p->block_found)
                fprintf(f, "no selinux block in any source: the target is left as the image made it\n");
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
