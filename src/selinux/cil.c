/* SPDX-License-Identifier: MIT */
#include "selinux.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/cil/cil.h>

#include "lib/util.h"

/* libsepol reports through a global handler with no user data; this
 * program is single-threaded, so the first message is kept here. */
static char *first_msg;

static void keep_first(int lvl, const char *msg) {
        if (lvl > CIL_ERR || first_msg)
                return;
        first_msg = strdup(msg);
        if (first_msg)
                first_msg[strcspn(first_msg, "\n")] = 0;
}

static void cil_dbp(cil_db_t **db) {
        if (*db)
                cil_db_destroy(db);
}

int cil_check_syntax(const char *name, const char *text, size_t len, char **msg) {
        _cleanup_(cil_dbp) cil_db_t *db = NULL;
        int r;

        *msg = NULL;
        free(first_msg);
        first_msg = NULL;
        cil_set_log_level(CIL_ERR);
        cil_set_log_handler(keep_first);
        cil_db_init(&db);
        if (!db)
                return -ENOMEM;
        r = cil_add_file(db, name, text, len);
        if (r == 0)
                return 0;
        if (first_msg)
                *msg = TAKE_PTR(first_msg);
        else if (asprintf(msg, "not valid CIL (libsepol error %d)", r) < 0)
                *msg = NULL;
        return *msg ? -EINVAL : -ENOMEM;
}

int cil_permissive_module(const char *type, char **name, char **text, size_t *len) {
        int n;

        *name = *text = NULL;
        if (asprintf(name, "permissive_%s", type) < 0)
                return -ENOMEM;
        n = asprintf(text, "(typepermissive %s)", type);
        if (n < 0) {
                free(*name);
                *name = NULL;
                return -ENOMEM;
        }
        *len = (size_t)n;
        return 0;
}
