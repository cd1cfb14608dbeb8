/* SPDX-License-Identifier: MIT */
#include "rebuild.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <semanage/debug.h>
#include <semanage/handle.h>
#include <semanage/modules.h>
#include <sepol/cil/cil.h>

#include "lib/log.h"
#include "lib/util.h"

/* What libsemanage and the CIL compiler said, one message per line. Both
 * report through global or per-handle callbacks; this program is
 * single-threaded, so one collector serves. */
static char *messages;
static size_t messages_len;

static void collect(const char *msg) {
        size_t n = strcspn(msg, "\n");
        char *nm;

        if (n == 0 || messages_len > 16384)
                return;
        /* CIL says where in a message of its own: one line reads better */
        if (messages_len && msg[0] == ' ')
                messages_len--;
        nm = realloc(messages, messages_len + n + 2);
        if (!nm)
                return;
        messages = nm;
        memcpy(messages + messages_len, msg, n);
        messages_len += n;
        messages[messages_len++] = '\n';
        messages[messages_len] = 0;
}

static void on_cil(int lvl, const char *msg) {
        if (lvl <= CIL_ERR)
                collect(msg);
        else
                log_debug("libsepol: %.*s", (int)strcspn(msg, "\n"), msg);
}

static void on_semanage(void *arg, semanage_handle_t *sh, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return;
        if (semanage_msg_get_level(sh) == SEMANAGE_MSG_ERR)
                collect(msg);
        else
                log_debug("libsemanage: %s", msg);
}

static void handlep(semanage_handle_t **sh) {
        if (*sh) {
                if (semanage_is_connected(*sh))
                        semanage_disconnect(*sh);
                semanage_handle_destroy(*sh);
        }
}

/* The module a compiler message is about: libsemanage compiles
 * .../modules/<priority>/<name>/cil, and CIL names that file. */
static const struct module_op *blamed(const struct module_op *ops, size_t n) {
        for (size_t i = 0; messages && i < n; i++) {
                char needle[300];
                snprintf(needle, sizeof(needle), "/%d/%s/cil", ops[i].priority, ops[i].name);
                if (ops[i].cil && strstr(messages, needle))
                        return &ops[i];
        }
        return NULL;
}

/* A declared module that replaces one of the same name at a lower
 * priority (the store's own `base`, say): when the compiler then blames
 * another module, what broke it is this one. *below: that priority. */
static const struct module_op *shadowing(const char *root, const char *type, const struct module_op *ops, size_t n,
                                         int *below) {
        for (size_t i = 0; i < n; i++)
                for (int prio = ops[i].cil ? ops[i].priority - 1 : 0; prio > 0; prio--) {
                        char path[PATH_MAX];
                        struct stat st;
                        snprintf(path, sizeof(path), "%s/var/lib/selinux/%s/active/modules/%d/%s",
                                 root && *root ? root : "", type, prio, ops[i].name);
                        if (stat(path, &st) == 0) {
                                *below = prio;
                                return &ops[i];
                        }
                }
        return NULL;
}

static int fail(const struct module_op *ops, size_t n, const struct module_op *op, const char *what, char **err) {
        const struct module_op *m = op ? op : blamed(ops, n);
        int r;

        if (messages_len && messages[messages_len - 1] == '\n')
                messages[--messages_len] = 0;
        if (m)
                r = asprintf(err, "%s: module \"%s\": %s%s%s", m->origin, m->name, what, messages ? ":\n" : "",
                             messages ? messages : "");
        else
                r = asprintf(err, "%s%s%s", what, messages ? ":\n" : "", messages ? messages : "");
        return r < 0 ? -ENOMEM : -EINVAL;
}

static int enable(semanage_handle_t *sh, const struct module_op *op) {
        semanage_module_key_t *key = NULL;
        int r = semanage_module_key_create(sh, &key);

        if (r >= 0)
                r = semanage_module_key_set_name(sh, key, op->name);
        if (r >= 0)
                r = semanage_module_key_set_priority(sh, key, (uint16_t)op->priority);
        if (r >= 0)
                r = semanage_module_set_enabled(sh, key, 1);
        if (key) {
                semanage_module_key_destroy(sh, key);
                free(key);
        }
        return r;
}

int store_rebuild(const char *root, const char *type, const struct module_op *ops, size_t n, char **err) {
        _cleanup_(handlep) semanage_handle_t *sh = NULL;
        _cleanup_free_ char *store = strdup(type);
        int r;

        *err = NULL;
        free(messages);
        messages = NULL;
        messages_len = 0;
        if (!store)
                return -ENOMEM;
        /* Before the handle: it reads ROOT/etc/selinux/semanage.conf. */
        if (semanage_set_root(root && *root ? root : "/") < 0)
                return -ENOMEM;
        sh = semanage_handle_create();
        if (!sh)
                return fail(ops, n, NULL, "cannot start libsemanage (semanage.conf unreadable?)", err);
        semanage_msg_set_callback(sh, on_semanage, NULL);
        cil_set_log_level(CIL_ERR);
        cil_set_log_handler(on_cil);
        /* The target's type, not whatever the initramfs's own config names. */
        semanage_select_store(sh, store, SEMANAGE_CON_DIRECT);
        semanage_set_create_store(sh, 0);
        semanage_set_reload(sh, 0);         /* apply loads the policy itself */
        semanage_set_rebuild(sh, 1);        /* also when only the dontaudit marker changed */
        semanage_set_check_contexts(sh, 0); /* setfiles -c is no program of the initramfs */
        if (semanage_connect(sh) < 0)
                return fail(ops, n, NULL, "cannot open the policy store", err);
        if (semanage_begin_transaction(sh) < 0)
                return fail(ops, n, NULL, "cannot lock the policy store", err);
        for (size_t i = 0; i < n; i++) {
                const struct module_op *op = &ops[i];
                if (semanage_set_default_priority(sh, (uint16_t)op->priority) < 0)
                        return fail(ops, n, op, "bad priority", err);
                if (!op->cil) {
                        r = semanage_module_remove(sh, op->name);
                        if (r < 0)
                                return fail(ops, n, op, "cannot remove it", err);
                        continue;
                }
                r = semanage_module_install(sh, op->cil, op->len, op->name, "cil");
                if (r >= 0 && op->enable)
                        r = enable(sh, op);
                if (r < 0)
                        return fail(ops, n, op, "cannot install it", err);
        }
        r = semanage_commit(sh);
        if (r < 0) {
                int below = 0;
                const struct module_op *m = blamed(ops, n) ? NULL : shadowing(root, type, ops, n, &below);
                char what[512];
                if (!m)
                        return fail(ops, n, NULL, "the policy rebuild failed; nothing was installed", err);
                snprintf(what, sizeof(what),
                         "it replaces the store's module \"%s\" of priority %d, and the policy no longer builds "
                         "(the messages name what went missing); nothing was installed",
                         m->name, below);
                return fail(ops, n, m, what, err);
        }
        free(messages);
        messages = NULL;
        messages_len = 0;
        return 0;
}
