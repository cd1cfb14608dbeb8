/* SPDX-License-Identifier: MIT */
/* The "modules" and "permissiveDomains" keys of the block (modules.c), for
 * block.c. Private to config/. */
#pragma once

#include "check.h"

void check_modules(struct check *c, struct json_object *v, struct se_config *tmp);
void check_permissive(struct check *c, struct json_object *v, struct se_config *tmp);
/* Moves tmp's modules and permissive domains into cfg (later wins: a module
 * by name, the permissive list as a whole). Returns 0 or -ENOMEM, in which
 * case cfg is unchanged. */
int merge_modules(struct se_config *cfg, struct se_config *tmp);
void modules_free(struct se_module *m, size_t n);
