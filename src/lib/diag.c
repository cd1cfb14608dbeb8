/* SPDX-License-Identifier: MIT */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

int diags_add(struct diags *d, enum diag_severity sev, const char *fmt, ...) {
        char *text;
        va_list ap;
        int r;

        if (GROW_FOR(d->items, d->n, d->allocated, 8) < 0)
                return -ENOMEM;
        va_start(ap, fmt);
        r = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        d->items[d->n++] = (struct diag){.severity = sev, .text = text};
        if (sev == DIAG_ERROR)
                d->n_errors++;
        return 0;
}

void diags_print(const struct diags *d, FILE *f) {
        for (size_t i = 0; i < d->n; i++)
                fprintf(f, "%s: %s\n", d->items[i].severity == DIAG_ERROR ? "error" : "warning",
                        d->items[i].text);
}

void diags_free(struct diags *d) {
        for (size_t i = 0; i < d->n; i++)
                free(d->items[i].text);
        free(d->items);
        *d = (struct diags){0};
}
