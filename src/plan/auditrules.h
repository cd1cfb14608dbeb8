/* SPDX-License-Identifier: MIT */
/* Flatcar's audit rules that keep AVC denials out of the log
 * (/etc/audit/rules.d/80-selinux.rules drops every AVC record; one line of
 * 99-default.rules drops everything not matched before it). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define AUDIT_RULES_DIR "/etc/audit/rules.d"
/* Disabled whole: renamed aside, which augenrules (it reads *.rules) skips. */
#define AUDIT_RULES_AVC "80-selinux.rules"
/* Kept but for the catch-all exclude line. */
#define AUDIT_RULES_DEFAULT "99-default.rules"
/* Suffix of the saved originals, restored by `auditDenials: false`. */
#define AUDIT_SAVED_SUFFIX ".ignition-selinux-saved"

/* True if the rule line `line` (n bytes, no newline) excludes every record
 * type: `-a exclude,always -F msgtype>0` in any order of the action pair and
 * any spacing. */
bool auditrules_line_hides_all(const char *line, size_t n);

/* Copies `text` without its hiding lines into *out (malloc'd). *removed
 * tells how many lines went. */
int auditrules_filter(const char *text, size_t len, char **out, size_t *outlen, size_t *removed);
