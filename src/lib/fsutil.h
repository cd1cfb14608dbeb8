/* SPDX-License-Identifier: MIT */
/* Filesystem primitives on directory fds. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Reads all of fd, at most `max` bytes (-EFBIG beyond). *buf is malloc'd and
 * NUL-terminated. */
int read_full_fd(int fd, size_t max, char **buf, size_t *len);
/* Same for `name` under dirfd, opened O_NOFOLLOW. */
int read_full_at(int dirfd, const char *name, size_t max, char **buf, size_t *len);
/* Same for the regular file `path` of the target root, opened with
 * root_open_regular() (-EISDIR, -EINVAL for anything not regular); *st
 * (may be NULL) gets its stat. */
int read_full_in_root(int rootfd, const char *path, size_t max, char **buf, size_t *len, struct stat *st);

/* "a directory", "a FIFO", "a character device", ... for messages. */
const char *file_kind(mode_t mode);

/* Writes all of buf to fd, retrying short writes and EINTR. */
int write_all(int fd, const void *buf, size_t len);

/* An atomic replacement of `name` in dirfd (reached without symlinks) comes
 * in two halves, so that the caller can order the flushes between them
 * (apply.c with commit.c). stage_file_at() writes `.name.ignition-selinux`
 * beside `name` holding `buf`, with mode/uid/gid, the xattr security.selinux
 * set to `label` and XATTR_TAG to `tag` where not NULL, a stale stage (even a
 * symlink or a directory) removed first; *staged gets its name. On failure
 * nothing is left. */
int stage_file_at(int dirfd, const char *name, const void *buf, size_t len, mode_t mode, uid_t uid,
                  gid_t gid, const char *label, const char *tag, char **staged);
/* publish_staged_at() renames the staged entry over `name` (flags 0, or
 * RENAME_EXCHANGE to swap the two); a symlink at `name` is replaced itself,
 * never followed. On failure the staged entry is removed and `name` is
 * untouched. */
int publish_staged_at(int dirfd, const char *staged, const char *name, unsigned flags);

#define XATTR_SELINUX "security.selinux"

/* What this program wrote, recorded on the file itself: whoever replaces the
 * file (semodule writes a new one) drops the record with it. */
#define XATTR_TAG "user.ignition-selinux"

/* Removes `name` under dirfd and, if it is a directory, everything below it,
 * never following a symlink. -ENOENT is not an error. */
int rm_rf_at(int dirfd, const char *name);

/* The staging name used beside `name`: ".NAME.ignition-selinux". Leftovers of
 * an interrupted run carry it and are removed by the next run. */
int staged_name(const char *name, char **out);
#define STAGED_SUFFIX ".ignition-selinux"
