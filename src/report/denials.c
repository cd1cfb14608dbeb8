/* SPDX-License-Identifier: MIT */
/* Grouping and printing of AVC denials: the table, the raw records, JSON. */
#include "denials.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "lib/log.h"
#include "lib/util.h"

static int cmp_perms(const struct avc_denial *a, const struct avc_denial *b) {
        for (size_t i = 0; i < a->n_perms && i < b->n_perms; i++) {
                int c = strcmp(a->perms[i], b->perms[i]);
                if (c != 0)
                        return c;
        }
        return a->n_perms < b->n_perms ? -1 : a->n_perms > b->n_perms;
}

static int cmp_key(const struct avc_denial *a, const struct avc_denial *b) {
        int c;

        if ((c = strcmp(a->stype, b->stype)) || (c = strcmp(a->ttype, b->ttype)) ||
            (c = strcmp(a->tclass, b->tclass)) || (c = cmp_perms(a, b)))
                return c;
        return strcmp(a->comm, b->comm);
}

static int cmp_index(const void *x, const void *y, void *arg) {
        const struct avc_list *l = arg;
        size_t i = *(const size_t *)x, j = *(const size_t *)y;
        int c = cmp_key(&l->items[i], &l->items[j]);
        return c ? c : (i > j) - (i < j);
}

static int cmp_group(const void *x, const void *y) {
        const struct denial_group *a = x, *b = y;
        if (a->count != b->count)
                return a->count > b->count ? -1 : 1;
        return cmp_key(a->key, b->key);
}

static bool in_list(const char *s, char *const *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (streq(s, v[i]))
                        return true;
        return false;
}

int denials_group(const struct avc_list *list, char *const *permissive_domains, size_t n_permissive_domains,
                  struct denial_report *r) {
        *r = (struct denial_report){.list = list, .n_denials = list->n};
        if (list->n == 0)
                return 0;
        r->order = malloc(list->n * sizeof(*r->order));
        r->groups = calloc(list->n, sizeof(*r->groups));
        if (!r->order || !r->groups) {
                denial_report_free(r);
                return -ENOMEM;
        }
        for (size_t i = 0; i < list->n; i++)
                r->order[i] = i;
        qsort_r(r->order, list->n, sizeof(*r->order), cmp_index, (void *)list);

        struct denial_group *g = NULL;
        for (size_t k = 0; k < list->n; k++) {
                const struct avc_denial *d = &list->items[r->order[k]];
                if (!g || cmp_key(g->key, d) != 0) {
                        g = &r->groups[r->n_groups++];
                        *g = (struct denial_group){
                                .key = d,
                                .members = &r->order[k],
                                .permissive_domain = in_list(d->stype, permissive_domains, n_permissive_domains),
                        };
                }
                g->count++;
                g->n_permissive += d->permissive == 1;
                g->n_enforcing += d->permissive == 0;
                if (d->time_source != AVC_TIME_NONE) {
                        if (!g->has_time || d->time_ms < g->first_ms)
                                g->first_ms = d->time_ms;
                        if (!g->has_time || d->time_ms > g->last_ms)
                                g->last_ms = d->time_ms;
                        g->has_time = true;
                }
                if (!g->permissive_domain)
                        r->n_enforced++;
        }
        qsort(r->groups, r->n_groups, sizeof(*r->groups), cmp_group);
        return 0;
}

void denial_report_free(struct denial_report *r) {
        free(r->order);
        free(r->groups);
        *r = (struct denial_report){0};
}

const char *denial_group_permissive(const struct denial_group *g) {
        if (g->permissive_domain)
                return "domain";
        if (g->n_permissive && g->n_enforcing)
                return "mixed";
        if (g->n_permissive)
                return "yes";
        if (g->n_enforcing)
                return "no";
        return AVC_UNKNOWN;
}

const char *denials_format_time(int64_t ms, char *buf, size_t size) {
        time_t sec = (time_t)(ms / 1000);
        struct tm tm;

        if (ms < 0 || !gmtime_r(&sec, &tm) ||
            (size_t)snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000)) >= size)
                snprintf(buf, size, "%s", AVC_UNKNOWN);
        return buf;
}

static char *join_perms(const struct avc_denial *d, const char *sep) {
        size_t len = sizeof(AVC_UNKNOWN);
        for (size_t i = 0; i < d->n_perms; i++)
                len += strlen(d->perms[i]) + strlen(sep);
        char *s = malloc(len);
        if (!s)
                return NULL;
        if (d->n_perms == 0)
                return strcpy(s, AVC_UNKNOWN);
        s[0] = 0;
        for (size_t i = 0; i < d->n_perms; i++) {
                if (i > 0)
                        strcat(s, sep);
                strcat(s, d->perms[i]);
        }
        return s;
}

static int check_written(FILE *f) {
        return fflush(f) == 0 && !ferror(f) ? 0 : (errno > 0 ? -errno : -EIO);
}

int denials_print_summary(const struct denial_report *r, FILE *f) {
        fprintf(f, "%zu denial%s in %zu group%s; %zu would be enforced\n", r->n_denials,
                r->n_denials == 1 ? "" : "s", r->n_groups, r->n_groups == 1 ? "" : "s", r->n_enforced);
        return check_written(f);
}

enum { COL_COUNT, COL_SOURCE, COL_TARGET, COL_CLASS, COL_PERMS, COL_COMM, COL_PERMISSIVE, COL_FIRST, COL_LAST, _COL_MAX };

/* The cells of a group's row, each malloc'd. */
static int row_cells(const struct denial_group *g, char *cells[_COL_MAX]) {
        char first[32] = AVC_UNKNOWN, last[32] = AVC_UNKNOWN;

        if (g->has_time) {
                denials_format_time(g->first_ms, first, sizeof(first));
                denials_format_time(g->last_ms, last, sizeof(last));
        }
        if (asprintf(&cells[COL_COUNT], "%zu", g->count) < 0)
                cells[COL_COUNT] = NULL;
        cells[COL_SOURCE] = strdup(g->key->stype);
        cells[COL_TARGET] = strdup(g->key->ttype);
        cells[COL_CLASS] = strdup(g->key->tclass);
        cells[COL_PERMS] = join_perms(g->key, ",");
        cells[COL_COMM] = strdup(g->key->comm);
        cells[COL_PERMISSIVE] = strdup(denial_group_permissive(g));
        cells[COL_FIRST] = strdup(first);
        cells[COL_LAST] = strdup(last);
        for (int c = 0; c < _COL_MAX; c++)
                if (!cells[c])
                        return -ENOMEM;
        return 0;
}

int denials_print_table(const struct denial_report *r, FILE *f) {
        static const char *const header[_COL_MAX] = {"COUNT", "SOURCE",     "TARGET", "CLASS", "PERMISSIONS",
                                                     "COMM",  "PERMISSIVE", "FIRST",  "LAST"};
        size_t width[_COL_MAX];
        int ret = 0;

        if (r->n_groups == 0)
                return denials_print_summary(r, f);
        char *(*cells)[_COL_MAX] = calloc(r->n_groups, sizeof(*cells));
        if (!cells)
                return -ENOMEM;
        for (int c = 0; c < _COL_MAX; c++)
                width[c] = strlen(header[c]);
        for (size_t i = 0; i < r->n_groups && ret >= 0; i++) {
                ret = row_cells(&r->groups[i], cells[i]);
                for (int c = 0; ret >= 0 && c < _COL_MAX; c++)
                        if (strlen(cells[i][c]) > width[c])
                                width[c] = strlen(cells[i][c]);
        }
        for (size_t i = 0; ret >= 0 && i <= r->n_groups; i++) {
                const char *const *row = i == 0 ? header : (const char *const *)cells[i - 1];
                for (int c = 0; c < _COL_MAX; c++) {
                        if (c == COL_COUNT)
                                fprintf(f, "%*s", (int)width[c], row[c]);
                        else if (c == _COL_MAX - 1)
                                fprintf(f, "  %s\n", row[c]);
                        else
                                fprintf(f, "  %-*s", (int)width[c], row[c]);
                }
        }
        for (size_t i = 0; i < r->n_groups; i++)
                for (int c = 0; c < _COL_MAX; c++)
                        free(cells[i][c]);
        free(cells);
        if (ret < 0)
                return ret;
        fputc('\n', f);
        return denials_print_summary(r, f);
}

/* A record as found (empty if not kept), control bytes (NUL, ESC, CR...) but tab written \xHH so
 * that the terminal shows them; with ascii, every other non-ASCII byte too. */
static char *record_text(const struct avc_denial *d, bool ascii) {
        static const char hex[] = "0123456789abcdef";
        char *s = malloc(d->record_len * 4 + 1), *o = s;

        if (!s)
                return NULL;
        for (size_t i = 0; i < d->record_len; i++) {
                unsigned char c = (unsigned char)d->record[i];
                if ((c >= 0x20 && c != 0x7f && (c < 0x80 || !ascii)) || c == '\t')
                        *o++ = (char)c;
                else {
                        *o++ = '\\';
                        *o++ = 'x';
                        *o++ = hex[c >> 4];
                        *o++ = hex[c & 15];
                }
        }
        /* Trailing separators of the record belong to no field. */
        while (o > s && (o[-1] == ' ' || o[-1] == '\t'))
                o--;
        *o = 0;
        return s;
}

int denials_print_raw(const struct denial_report *r, FILE *f) {
        for (size_t i = 0; i < r->n_groups; i++) {
                const struct denial_group *g = &r->groups[i];
                char first[32] = AVC_UNKNOWN, last[32] = AVC_UNKNOWN;
                _cleanup_free_ char *perms = join_perms(g->key, " ");

                if (!perms)
                        return -ENOMEM;
                if (g->has_time) {
                        denials_format_time(g->first_ms, first, sizeof(first));
                        denials_format_time(g->last_ms, last, sizeof(last));
                }
                fprintf(f, "%s# %zu denial%s: %s -> %s:%s { %s } comm=%s permissive=%s first=%s last=%s\n",
                        i ? "\n" : "", g->count, g->count == 1 ? "" : "s", g->key->stype, g->key->ttype, g->key->tclass, perms, g->key->comm,
                        denial_group_permissive(g), first, last);
                for (size_t k = 0; k < g->count; k++) {
                        _cleanup_free_ char *text = record_text(&r->list->items[g->members[k]], false);
                        if (!text)
                                return -ENOMEM;
                        fprintf(f, "%s\n", text);
                }
        }
        if (r->n_groups > 0)
                fputc('\n', f);
        return denials_print_summary(r, f);
}

static int add_string(json_object *o, const char *key, const char *value) {
        json_object *v = json_object_new_string(value);
        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int group_json(const struct denial_report *r, const struct denial_group *g, bool with_records,
                      json_object **ret) {
        char first[32] = AVC_UNKNOWN, last[32] = AVC_UNKNOWN;
        json_object *o = json_object_new_object(), *perms = json_object_new_array(), *records = NULL, *count = NULL;
        int q = 0;

        if (g->has_time) {
                denials_format_time(g->first_ms, first, sizeof(first));
                denials_format_time(g->last_ms, last, sizeof(last));
        }
        if (!o || !perms)
                q = -ENOMEM;
        for (size_t i = 0; q >= 0 && i < g->key->n_perms; i++) {
                json_object *s = json_object_new_string(g->key->perms[i]);
                if (!s || json_object_array_add(perms, s) < 0) {
                        json_object_put(s);
                        q = -ENOMEM;
                }
        }
        if (q >= 0)
                q = add_string(o, "source", g->key->stype);
        if (q >= 0)
                q = add_string(o, "target", g->key->ttype);
        if (q >= 0)
                q = add_string(o, "class", g->key->tclass);
        if (q >= 0) {
                q = json_object_object_add(o, "permissions", perms) < 0 ? -ENOMEM : 0;
                if (q >= 0)
                        perms = NULL;
        }
        if (q >= 0)
                q = add_string(o, "comm", g->key->comm);
        if (q >= 0) {
                count = json_object_new_int64((int64_t)g->count);
                q = !count || json_object_object_add(o, "count", count) < 0 ? -ENOMEM : 0;
                if (q < 0)
                        json_object_put(count);
        }
        if (q >= 0)
                q = add_string(o, "first", first);
        if (q >= 0)
                q = add_string(o, "last", last);
        if (q >= 0)
                q = add_string(o, "permissive", denial_group_permissive(g));
        if (q >= 0 && with_records) {
                records = json_object_new_array();
                q = !records || json_object_object_add(o, "records", records) < 0 ? -ENOMEM : 0;
                if (q < 0)
                        json_object_put(records);
                for (size_t k = 0; q >= 0 && k < g->count; k++) {
                        _cleanup_free_ char *text = record_text(&r->list->items[g->members[k]], true);
                        json_object *s = text ? json_object_new_string(text) : NULL;
                        if (!s || json_object_array_add(records, s) < 0) {
                                json_object_put(s);
                                q = -ENOMEM;
                        }
                }
        }
        json_object_put(perms);
        if (q < 0) {
                json_object_put(o);
                return q;
        }
        *ret = o;
        return 0;
}

int denials_print_json(const struct denial_report *r, bool with_records, FILE *f) {
        json_object *a = json_object_new_array();
        int q = a ? 0 : -ENOMEM;

        for (size_t i = 0; q >= 0 && i < r->n_groups; i++) {
                json_object *g = NULL;
                q = group_json(r, &r->groups[i], with_records, &g);
                if (q >= 0 && json_object_array_add(a, g) < 0) {
                        json_object_put(g);
                        q = -ENOMEM;
                }
        }
        if (q >= 0 && r->n_groups == 0) {
                fputs("[]\n", f);
                q = check_written(f);
        } else if (q >= 0) {
                const char *s = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                          JSON_C_TO_STRING_NOSLASHESCAPE);
                if (s) {
                        fputs(s, f);
                        fputc('\n', f);
                        q = check_written(f);
                } else
                        q = -ENOMEM;
        }
        json_object_put(a);
        return q;
}

int denials_run(const char *path, const struct denials_opts *o, size_t *n_enforced) {
        bool use_stdin = !path || streq(path, "-");
        const char *name = use_stdin ? "standard input" : path;
        _cleanup_fclose_ FILE *f = NULL;
        struct avc_list list = {0};
        struct denial_report rep = {0};
        int r;

        if (!use_stdin && !(f = fopen(path, "re")))
                return log_errno(negerrno(), "Failed to open %s", name);
        r = avc_parse_stream(use_stdin ? stdin : f, o->raw, &list);
        if (r < 0) {
                log_errno(r, "Failed to read %s", name);
                goto out;
        }
        r = denials_group(&list, o->permissive_domains, o->n_permissive_domains, &rep);
        if (r < 0) {
                log_errno(r, "Failed to group the denials of %s", name);
                goto out;
        }
        if (o->json)
                r = denials_print_json(&rep, o->raw, stdout);
        else if (o->raw)
                r = denials_print_raw(&rep, stdout);
        else
                r = denials_print_table(&rep, stdout);
        if (r < 0) {
                log_errno(r, "Failed to write the report");
                goto out;
        }
        *n_enforced = rep.n_enforced;
out:
        denial_report_free(&rep);
        avc_list_free(&list);
        return r;
}
