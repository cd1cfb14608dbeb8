/* SPDX-License-Identifier: MIT */
/* The binary policy of a policy type on the target: the file libselinux
 * would load, /etc/selinux/<type>/policy/policy.N with the highest N. */
#pragma once

/* Finds it, with N at most `max_version` (any if negative). *path is the
 * malloc'd in-root path. Returns 0, -ENOENT if there is none, or -errno. */
int policy_file_find(int rootfd, const char *type, int max_version, char **path);
