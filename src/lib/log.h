/* SPDX-License-Identifier: MIT */
/* Logging. Everything goes to stderr: in the initramfs the unit connects it
 * to the journal and the console, on a workstation it is the terminal. */
#pragma once

#include <stdarg.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_set_level(enum log_level lvl);
void log_set_prefix(const char *prefix);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Logs "message: strerror(-err)" and returns err, so callers can
 * `return log_errno(r, "...")`. */
int log_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
