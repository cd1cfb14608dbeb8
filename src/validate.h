/* SPDX-License-Identifier: MIT */
/* `ignition-selinux validate`: check Ignition configs or block files on a
 * workstation, before they are used to provision machines. */
#pragma once

#include <stddef.h>

#include "diag.h"

/* Validates the file at `path`: a whole Ignition config (top-level `selinux`
 * and/or a storage.files entry for /etc/selinux/ignition.json, whose data: URL
 * is decoded and validated) or a bare block file. Adds errors and warnings to
 * `d`. Returns 0 if valid, -EINVAL if not, another negative errno if the file
 * cannot be read. */
int validate_file(const char *path, struct diags *d);

/* As validate_file(), on `len` bytes of `text` (need not be NUL-terminated)
 * named `name` in messages. Returns 0 if valid, -EINVAL if not, -ENOMEM. */
int validate_buffer(const char *name, const char *text, size_t len, struct diags *d);
