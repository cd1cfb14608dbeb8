/* SPDX-License-Identifier: MIT */
#include "hint.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* Words longer than this are never typos of our short keywords. */
#define HINT_MAX 64

/* Lower-case copy without '_' and '-', so "Audit_Denials" meets
 * "auditDenials". Returns false if too long. */
static bool normalize(const char *s, char out[HINT_MAX + 1], size_t *len) {
        size_t o = 0;

        for (; *s; s++) {
                char c = *s;
                if (c == '_' || c == '-')
                        continue;
                if (o == HINT_MAX)
                        return false;
                out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        out[o] = '\0';
        *len = o;
        return true;
}

static size_t min3(size_t a, size_t b, size_t c) {
        size_t m = a < b ? a : b;
        return m < c ? m : c;
}

/* Edit distance where swapping two neighbours ("mdoe") is one edit, as
 * it is one slip of the fingers (optimal string alignment). */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb) {
        size_t rows[3][HINT_MAX + 1];
        size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

        for (size_t j = 0; j <= lb; j++)
                prev[j] = j;
        for (size_t i = 1; i <= la; i++) {
                cur[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = a[i - 1] != b[j - 1];
                        cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                            prev2[j - 2] + 1 < cur[j])
                                cur[j] = prev2[j - 2] + 1;
                }
                size_t *t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
        }
        return prev[lb];
}

static size_t common_prefix(const char *a, const char *b) {
        size_t n = 0;
        while (a[n] && a[n] == b[n])
                n++;
        return n;
}

/* Lower is closer; SIZE_MAX means not close at all. Short candidates allow
 * one edit only, else "mo" would suggest every four-letter key. */
static size_t closeness(const char *g, size_t lg, const char *c, size_t lc) {
        size_t limit = lc <= 4 ? 1 : 2, d;

        if (lg == 0)
                return SIZE_MAX;
        d = edit_distance(g, lg, c, lc);
        if (d <= limit)
                return d;
        if (lg >= 2 && (strncmp(g, c, lg) == 0 || (lg > lc && strncmp(g, c, lc) == 0)))
                return 3;
        /* "enforce" for "enforcing": a shared stem, then a different ending */
        if (common_prefix(g, c) >= 5)
                return 4;
        return SIZE_MAX;
}

const char *hint_closest_ex(const char *got, const char *const *candidates, size_t n,
                            const struct hint_alias *aliases, size_t n_aliases) {
        char g[HINT_MAX + 1], c[HINT_MAX + 1];
        size_t lg, lc, best = SIZE_MAX;
        const char *hit = NULL;

        if (!got || !normalize(got, g, &lg))
                return NULL;
        for (size_t i = 0; i < n_aliases; i++)
                if (normalize(aliases[i].from, c, &lc) && streq(g, c))
                        return aliases[i].to;
        for (size_t i = 0; i < n; i++) {
                if (!normalize(candidates[i], c, &lc))
                        continue;
                size_t s = closeness(g, lg, c, lc);
                if (s < best) {
                        best = s;
                        hit = candidates[i];
                }
        }
        return hit;
}

const char *hint_closest(const char *got, const char *const *candidates, size_t n) {
        return hint_closest_ex(got, candidates, n, NULL, 0);
}
