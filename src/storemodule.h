/* SPDX-License-Identifier: MIT */
/* Modules in a libsemanage store, read as libsemanage writes them:
 * active/modules/<priority>/<name>/{cil,lang_ext}, the CIL bzip2-compressed
 * unless semanage.conf says bzip-blocksize=0. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The CIL of module `name` at `priority` in /var/lib/selinux/<type> on the
 * target, decompressed. Returns 0, -ENOENT if there is no such module,
 * -EMEDIUMTYPE if it was installed from another language (a .pp), -EBADMSG
 * for a corrupt file, or -errno. */
int store_module_cil(int rootfd, const char *type, int priority, const char *name, char **cil, size_t *len);

/* Whether the module is installed at `priority`. */
bool store_module_exists(int rootfd, const char *type, int priority, const char *name);

/* Whether `semodule -d` disabled module `name`. */
bool store_module_disabled(int rootfd, const char *type, const char *name);
