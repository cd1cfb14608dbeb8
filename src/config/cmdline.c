/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "lib/util.h"

void kcmdline_init(struct kcmdline *k) {
        *k = (struct kcmdline){.enforcing = -1, .selinux = -1};
}

void kcmdline_free(struct kcmdline *k) {
        free(k->platform);
        kcmdline_init(k);
}

/* The kernel's isspace(), which (Latin-1 heritage) also counts 0xa0. */
static bool kspace(char c) {
        unsigned char u = (unsigned char)c;
        return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xa0;
}

/* Splits off the next argument as the kernel's next_arg() does: quotes
 * group, and a quote right after '=' (or around the whole argument) is
 * dropped. Edits the string in place; returns the rest. */
static char *next_arg(char *args, char **param, char **val) {
        bool in_quote = false, quoted = false;
        size_t i, equals = 0;
        char *next;

        if (*args == '"') {
                args++;
                in_quote = quoted = true;
        }
        for (i = 0; args[i]; i++) {
                if (kspace(args[i]) && !in_quote)
                        break;
                if (equals == 0 && args[i] == '=')
                        equals = i;
                if (args[i] == '"')
                        in_quote = !in_quote;
        }
        *param = args;
        if (!equals) {
                *val = NULL;
        } else {
                args[equals] = '\0';
                *val = args + equals + 1;
                if (**val == '"') {
                        (*val)++;
                        if (i > 0 && args[i - 1] == '"')
                                args[i - 1] = '\0';
                }
        }
        if (quoted && i > 0 && args[i - 1] == '"')
                args[i - 1] = '\0';
        if (args[i]) {
                args[i] = '\0';
                next = args + i + 1;
        } else {
                next = args + i;
        }
        while (kspace(*next))
                next++;
        return next;
}

static int digit_value(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'Z')
                return c - 'A' + 10;
        return 99;
}

/* The kernel's kstrtoul(s, 0, ...): optional '+', 0x for hex, a leading 0
 * for octal, one trailing newline; no sign, no overflow. */
static int kstrtoul0(const char *s, unsigned long *ret) {
        unsigned base = 10;
        unsigned long v = 0;
        const char *p;

        if (*s == '+')
                s++;
        if (s[0] == '0') {
                if ((s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
                        base = 16;
                        s += 2;
                } else {
                        base = 8;
                }
        }
        for (p = s; digit_value(*p) < (int)base; p++) {
                unsigned d = (unsigned)digit_value(*p);
                if (v > (ULONG_MAX - d) / base)
                        return -ERANGE;
                v = v * base + d;
        }
        if (p == s)
                return -EINVAL;
        if (*p == '\n')
                p++;
        if (*p)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* Shown in a warning: cut, and without control characters. */
static void printable(const char *s, char *out, size_t size) {
        size_t o = 0;

        for (; *s && o + 4 < size; s++)
                out[o++] = (unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f ? '?' : *s;
        if (*s)
                memcpy(out + o, "...", 3), o += 3;
        out[o] = '\0';
}

static int set_switch(const char *name, const char *param, const char *val, int *target,
                      struct diags *d) {
        unsigned long v;
        char shown[68];

        if (kstrtoul0(val, &v) == 0) {
                *target = v != 0;
                return 0;
        }
        printable(val, shown, sizeof(shown));
        return diags_add(d, DIAG_WARNING, "%s: %s=%s: expected 0 or 1, ignored", name, param,
                         shown);
}

static int handle(const char *name, const char *param, const char *val, struct kcmdline *k,
                  struct diags *d) {
        /* Ignition's first boot: upstream's switch, Flatcar's (and CoreOS's
         * before it), with or without a value. */
        if (streq(param, "ignition.firstboot") || streq(param, "flatcar.first_boot") ||
            streq(param, "coreos.first_boot"))
                k->firstboot = true;
        if (!val)
                return 0; /* "enforcing" without '=' is not the kernel's switch either */
        if (streq(param, "enforcing"))
                return set_switch(name, param, val, &k->enforcing, d);
        if (streq(param, "selinux"))
                return set_switch(name, param, val, &k->selinux, d);
        if (streq(param, "ignition.platform.id")) {
                char *p = strdup(val);
                if (!p)
                        return -ENOMEM;
                free(k->platform);
                k->platform = p;
        }
        return 0;
}

int kcmdline_parse(const char *name, const char *text, struct kcmdline *k, struct diags *d) {
        _cleanup_free_ char *copy = NULL;
        char *args, *param, *val;
        int r;

        if (!text)
                return 0;
        copy = strdup(text);
        if (!copy)
                return -ENOMEM;
        for (args = copy; kspace(*args); args++)
                ;
        while (*args) {
                args = next_arg(args, &param, &val);
                /* what follows "--" is for init, not for the kernel */
                if (!val && streq(param, "--"))
                        break;
                r = handle(name, param, val, k, d);
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

int kcmdline_read(const char *path, struct kcmdline *k, struct diags *d) {
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        /* /proc/cmdline, or a file a test or a workstation names: never a
         * FIFO waited on. */
        _cleanup_close_ int fd = input_open(path, path, DIAG_ERROR, d);
        if (fd < 0) {
                if (fd != -EINVAL)
                        diags_add(d, DIAG_ERROR, "%s: cannot read the kernel command line: %s", path, strerror(-fd));
                return -EINVAL;
        }
        r = input_read_fd(fd, path, CMDLINE_MAX, DIAG_ERROR, &text, &len, d);
        return r < 0 ? r : kcmdline_parse(path, text, k, d);
}
