/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static enum log_level max_level = LOG_LVL_INFO;
static const char *log_prefix = "ignition-selinux";

void log_set_level(enum log_level lvl) { max_level = lvl; }
void log_set_prefix(const char *prefix) { log_prefix = prefix; }

static void vlog(enum log_level lvl, const char *suffix, const char *fmt, va_list ap) {
        static const char *const tag[] = {"error: ", "warning: ", "", "debug: "};

        if (lvl > max_level)
                return;
        fprintf(stderr, "%s: %s", log_prefix, tag[lvl]);
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "%s\n", suffix ? suffix : "");
}

void log_msg(enum log_level lvl, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vlog(lvl, NULL, fmt, ap);
        va_end(ap);
}

int log_errno(int err, const char *fmt, ...) {
        char suffix[256];
        va_list ap;

        snprintf(suffix, sizeof(suffix), ": %s", strerror(err < 0 ? -err : err));
        va_start(ap, fmt);
        vlog(LOG_LVL_ERR, suffix, fmt, ap);
        va_end(ap);
        return err;
}
