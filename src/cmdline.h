/* SPDX-License-Identifier: MIT */
/* The kernel command line: the switches that decide this boot's mode and the
 * platform id that Ignition uses. */
#pragma once

#include <stdbool.h>

#include "diag.h"

struct kcmdline {
        int enforcing; /* -1 absent, else 0 or 1 (last occurrence wins) */
        int selinux;   /* -1 absent, else 0 or 1 */
        char *platform; /* ignition.platform.id=, NULL if absent */
        bool firstboot; /* Ignition runs this boot */
};

void kcmdline_init(struct kcmdline *k);
void kcmdline_free(struct kcmdline *k);
/* Parses a command line as the kernel splits it (whitespace separated,
 * double quotes group). Malformed values of the switches we read are
 * warnings in `d` (named `name`) and are ignored, as the kernel ignores
 * them. Returns 0 or -ENOMEM. */
int kcmdline_parse(const char *name, const char *text, struct kcmdline *k, struct diags *d);
