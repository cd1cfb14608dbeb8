/* SPDX-License-Identifier: MIT */
/* CIL policy modules as libsemanage installs them: a syntax check before
 * anything is written, and the module `semanage permissive -a` generates. */
#pragma once

#include <stddef.h>

/* Parses `text` with libsepol's CIL parser. Returns 0, -EINVAL with the
 * parser's message in *msg (malloc'd, one line, naming `name`), -ENOMEM.
 * Only syntax: names are resolved when the policy is rebuilt. */
int cil_check_syntax(const char *name, const char *text, size_t len, char **msg);

/* The module that makes `type` a permissive domain, named and written as
 * `semanage permissive -a TYPE` does, so that `semanage permissive -l` lists
 * it and `-d` removes it: "permissive_TYPE" holding "(typepermissive TYPE)". */
int cil_permissive_module(const char *type, char **name, char **text, size_t *len);
