/* SPDX-License-Identifier: MIT */
/* The audit record parser. A line is cut into records at every mark of one: "avc:" for a
 * denial, "SELINUX_ERR" (also "type=1401", "security_compute_sid:") for an error. Record i runs
 * from where record i-1 ended (or the line's start) to the first mark of something else after
 * its own — another record, an audit header "type=" or "audit(" — or the line's end. Its prefix
 * gives the time, its body the fields. Journal formats that put an entry's time and serial in
 * fields of their own (export, verbose, json-pretty) hold the entry's records until it ends;
 * a journal JSON line is decoded as the entry it is. Searches in a line are cached per mark, so
 * a line costs time linear in its length however many records it holds. */
#include "avc-parse.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "lib/util.h"

/* Whitespace between fields; any control byte counts, so do NUL and DEL. */
static bool is_sep(char c) { return (unsigned char)c <= 0x20 || c == 0x7f; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
static bool is_upper_word(char c) { return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_'; }

static const char *find(const char *p, const char *end, const char *needle) {
        size_t n = strlen(needle);
        if (p >= end || (size_t)(end - p) < n)
                return NULL;
        return memmem(p, (size_t)(end - p), needle, n);
}

static bool starts(const char *p, const char *end, const char *word) {
        size_t n = strlen(word);
        return p <= end && (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

/* ---- the keyed hash: SipHash-2-4 ---- */

static uint64_t hash_k0, hash_k1;
static bool hash_keyed;

static void hash_init_key(void) {
        uint64_t k[2] = {0};

        if (hash_keyed)
                return;
        /* A key nobody writing the log can know, so that no input makes two different records
         * look like copies of one. Without entropy yet, the clock and an address will do. */
        if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                k[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)&ts;
                k[1] = (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&hash_k0;
        }
        hash_k0 = k[0];
        hash_k1 = k[1];
        hash_keyed = true;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                 \
        do {                                                                                     \
                v0 += v1;                                                                        \
                v1 = ROTL(v1, 13);                                                               \
                v1 ^= v0;                                                                        \
                v0 = ROTL(v0, 32);                                                               \
                v2 += v3;                                                                        \
                v3 = ROTL(v3, 16);                                                               \
                v3 ^= v2;                                                                        \
                v0 += v3;                                                                        \
                v3 = ROTL(v3, 21);                                                               \
                v3 ^= v0;                                                                        \
                v2 += v1;                                                                        \
                v1 = ROTL(v1, 17);                                                               \
                v1 ^= v2;                                                                        \
                v2 = ROTL(v2, 32);                                                               \
        } while (0)

uint64_t avc_hash(const void *data, size_t len, uint64_t tweak) {
        const unsigned char *in = data;
        uint64_t v0, v1, v2, v3, m, k0, k1;
        size_t i, left = len & 7;

        hash_init_key();
        k0 = hash_k0 ^ tweak;
        k1 = hash_k1;
        v0 = k0 ^ 0x736f6d6570736575ULL;
        v1 = k1 ^ 0x646f72616e646f6dULL;
        v2 = k0 ^ 0x6c7967656e657261ULL;
        v3 = k1 ^ 0x7465646279746573ULL;
        for (i = 0; i + 8 <= len; i += 8) {
                memcpy(&m, in + i, 8);
                m = le64toh(m);
                v3 ^= m;
                SIPROUND;
                SIPROUND;
                v0 ^= m;
        }
        m = (uint64_t)len << 56;
        for (size_t j = 0; j < left; j++)
                m |= (uint64_t)in[i + j] << (8 * j);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
        v2 ^= 0xff;
        SIPROUND;
        SIPROUND;
        SIPROUND;
        SIPROUND;
        return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- values ---- */

/* A copy where every byte outside printable ASCII is written \xHH. Empty input gives
 * AVC_UNKNOWN. */
static char *sanitize(const char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";
        size_t len = 0, j = 0;

        if (n == 0)
                return strdup(AVC_UNKNOWN);
        for (size_t i = 0; i < n; i++)
                len += (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? 1 : 4;
        char *out = malloc(len + 1);
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c >= 0x20 && c < 0x7f)
                        out[j++] = (char)c;
                else {
                        out[j++] = '\\';
                        out[j++] = 'x';
                        out[j++] = hex[c >> 4];
                        out[j++] = hex[c & 15];
                }
        }
        out[j] = 0;
        return out;
}

/* auditd writes a value it cannot quote (spaces, quotes, non-ASCII) as unquoted upper-case
 * hex: comm=2F62696E is "/bin". ausearch -i has decoded every value already and quotes none:
 * there comm=cafe is "cafe". */
static char *decode_untrusted(const char *s, size_t n, bool quoted, bool interpreted) {
        bool hex = !quoted && !interpreted && n > 0 && n % 2 == 0;

        for (size_t i = 0; hex && i < n; i++)
                hex = hex_value(s[i]) >= 0;
        if (!hex)
                return sanitize(s, n);
        _cleanup_free_ char *raw = malloc(n / 2);
        if (!raw)
                return NULL;
        for (size_t i = 0; i < n / 2; i++)
                raw[i] = (char)(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
        return sanitize(raw, n / 2);
}

char *avc_context_type(const char *context) {
        const char *p = strchr(context, ':');
        const char *q = p ? strchr(p + 1, ':') : NULL;

        if (!q || q[1] == 0 || q[1] == ':')
                return strdup(AVC_UNKNOWN);
        return strndup(q + 1, strcspn(q + 1, ":"));
}

/* ---- times ---- */

static bool digits(const char **p, const char *end, int n, int *out) {
        int v = 0;
        for (int i = 0; i < n; i++, (*p)++) {
                if (*p >= end || !is_digit(**p))
                        return false;
                v = v * 10 + (**p - '0');
        }
        *out = v;
        return true;
}

/* ".mmm..." at p: milliseconds (missing digits are 0); p moves past all the digits. */
static int frac_ms(const char **p, const char *end) {
        int ms = 0, n = 0;
        if (*p < end && **p == '.')
                for ((*p)++; *p < end && is_digit(**p); (*p)++, n++)
                        if (n < 3)
                                ms = ms * 10 + (**p - '0');
        for (; n < 3; n++)
                ms *= 10;
        return ms;
}

static bool valid_tm(const struct tm *tm) {
        return tm->tm_year >= 70 && tm->tm_year <= 8099 && tm->tm_mon >= 0 && tm->tm_mon < 12 && tm->tm_mday >= 1 &&
               tm->tm_mday <= 31 && tm->tm_hour < 24 && tm->tm_min < 60 && tm->tm_sec <= 60;
}

/* The date ausearch -i writes with strftime's %x: MM/DD/YY in the C locale, MM/DD/YYYY in
 * en_US, YYYY-MM-DD or DD.MM.YYYY in others. */
static bool parse_date(const char **pp, const char *end, struct tm *tm) {
        const char *p = *pp;
        int a, b, c;

        if (digits(&p, end, 4, &a) && p < end && *p == '-' && (p++, digits(&p, end, 2, &b)) && p < end && *p == '-' &&
            (p++, digits(&p, end, 2, &c))) {
                tm->tm_year = a - 1900, tm->tm_mon = b - 1, tm->tm_mday = c;
                *pp = p;
                return true;
        }
        p = *pp;
        if (!digits(&p, end, 2, &a) || p >= end || (*p != '/' && *p != '.'))
                return false;
        char sep = *p++;
        if (!digits(&p, end, 2, &b) || p >= end || *p++ != sep)
                return false;
        const char *y = p;
        if (digits(&p, end, 4, &c))
                tm->tm_year = c - 1900;
        else if (p = y, digits(&p, end, 2, &c))
                tm->tm_year = c + 100; /* 20YY */
        else
                return false;
        if (sep == '/')
                tm->tm_mon = a - 1, tm->tm_mday = b;
        else
                tm->tm_mday = a, tm->tm_mon = b - 1;
        *pp = p;
        return true;
}

/* "audit(SEC.MS:SERIAL)" at p, SEC within years 1970..9999, or as ausearch -i writes it,
 * "audit(DATE HH:MM:SS.MS:SERIAL)" in the local time zone (ausearch wrote it in its own).
 * *after is the byte after ")". */
static bool parse_audit_stamp(const char *p, const char *end, int64_t *ms, uint64_t *serial, bool *interpreted,
                              const char **after) {
        int64_t sec = 0;
        uint64_t ser = 0;
        int nd = 0, ns = 0, frac;
        struct tm tm = {.tm_isdst = -1};
        bool interp = false;

        p += strlen("audit(");
        const char *d = p;
        if (parse_date(&d, end, &tm) && d < end && *d == ' ') {
                d++;
                if (!digits(&d, end, 2, &tm.tm_hour) || d >= end || *d++ != ':' || !digits(&d, end, 2, &tm.tm_min) ||
                    d >= end || *d++ != ':' || !digits(&d, end, 2, &tm.tm_sec) || !valid_tm(&tm))
                        return false;
                time_t t = mktime(&tm);
                if (t == (time_t)-1 || t < 0 || t > 253402300799)
                        return false;
                sec = t;
                p = d;
                interp = true;
        } else {
                for (; p < end && is_digit(*p); p++, nd++) {
                        if (nd >= 12)
                                return false;
                        sec = sec * 10 + (*p - '0');
                }
                if (nd == 0 || sec > 253402300799)
                        return false;
        }
        if (p >= end || *p != '.')
                return false;
        const char *f = p;
        frac = frac_ms(&p, end);
        if (p == f + 1 || p >= end || *p++ != ':')
                return false;
        for (; p < end && is_digit(*p); p++, ns++) {
                if (ns >= 19)
                        return false;
                ser = ser * 10 + (uint64_t)(*p - '0');
        }
        if (ns == 0 || p >= end || *p != ')')
                return false;
        *ms = sec * 1000 + frac;
        *serial = ser;
        *interpreted = interp;
        *after = p + 1;
        return true;
}

/* journalctl -o short-iso[-precise] in front of a line: "2023-11-14T22:13:30+0000 " or
 * "2023-11-14T22:13:30.100123+00:00 "; -1 if not there. */
static int64_t line_iso_time(const char *p, const char *end) {
        struct tm tm = {0};
        int off_h, off_m, sign;

        if (!parse_date(&p, end, &tm) || p >= end || *p++ != 'T' || !digits(&p, end, 2, &tm.tm_hour) || p >= end ||
            *p++ != ':' || !digits(&p, end, 2, &tm.tm_min) || p >= end || *p++ != ':' ||
            !digits(&p, end, 2, &tm.tm_sec) || !valid_tm(&tm))
                return -1;
        int ms = frac_ms(&p, end);
        if (p < end && *p == 'Z')
                p++, off_h = off_m = 0, sign = 1;
        else {
                if (p >= end || (*p != '+' && *p != '-'))
                        return -1;
                sign = *p++ == '-' ? -1 : 1;
                if (!digits(&p, end, 2, &off_h))
                        return -1;
                if (p < end && *p == ':')
                        p++;
                if (!digits(&p, end, 2, &off_m))
                        return -1;
        }
        if (p >= end || *p != ' ')
                return -1;
        time_t t = timegm(&tm);
        if (t == (time_t)-1)
                return -1;
        t -= sign * (off_h * 3600 + off_m * 60);
        return t < 0 ? -1 : (int64_t)t * 1000 + ms;
}

/* journalctl -o short-unix: "1700000010.100123 "; -o short-full and with-unit:
 * "Tue 2023-11-14 22:13:30 UTC ", the zone UTC or the local one's abbreviation. -1 if none. */
static int64_t line_other_time(const char *p, const char *end) {
        const char *q = p;
        int64_t sec = 0;
        int n = 0;

        for (; q < end && is_digit(*q) && n < 12; q++, n++)
                sec = sec * 10 + (*q - '0');
        if (n >= 9 && q < end && *q == '.') {
                const char *f = q;
                int ms = frac_ms(&q, end);
                if (q > f + 1 && q < end && *q == ' ' && sec <= 253402300799)
                        return sec * 1000 + ms;
                return -1;
        }
        struct tm tm = {.tm_isdst = -1};
        q = p;
        if (end - q < 4 || !is_alpha(q[0]) || !is_alpha(q[1]) || !is_alpha(q[2]) || q[3] != ' ')
                return -1;
        q += 4;
        if (!parse_date(&q, end, &tm) || q >= end || *q++ != ' ' || !digits(&q, end, 2, &tm.tm_hour) || q >= end ||
            *q++ != ':' || !digits(&q, end, 2, &tm.tm_min) || q >= end || *q++ != ':' ||
            !digits(&q, end, 2, &tm.tm_sec) || !valid_tm(&tm) || q >= end || *q++ != ' ')
                return -1;
        const char *z = q;
        while (q < end && ((*q >= 'A' && *q <= 'Z') || *q == '+' || *q == '-' || is_digit(*q)))
                q++;
        size_t zl = (size_t)(q - z);
        if (q >= end || *q != ' ' || zl == 0)
                return -1;
        time_t t;
        if ((zl == 3 && (memcmp(z, "UTC", 3) == 0 || memcmp(z, "GMT", 3) == 0)))
                t = timegm(&tm);
        else {
                tzset();
                if (strlen(tzname[0]) == zl && memcmp(z, tzname[0], zl) == 0)
                        tm.tm_isdst = 0;
                else if (strlen(tzname[1]) == zl && memcmp(z, tzname[1], zl) == 0)
                        tm.tm_isdst = 1;
                else
                        return -1;
                t = mktime(&tm);
        }
        return t == (time_t)-1 || t < 0 ? -1 : (int64_t)t * 1000;
}

static int64_t line_time(const char *p, const char *end) {
        int64_t t = line_iso_time(p, end);
        return t >= 0 ? t : line_other_time(p, end);
}

/* Decimal microseconds, the whole of [s, end): milliseconds, or -1. */
static int64_t usec_field(const char *s, const char *end) {
        int64_t us = 0;
        int n = 0;
        for (; s < end && is_digit(*s); s++, n++) {
                if (n >= 17)
                        return -1;
                us = us * 10 + (*s - '0');
        }
        return n == 0 || s != end ? -1 : us / 1000;
}

static uint64_t serial_field(const char *s, const char *end) {
        uint64_t v = 0;
        int n = 0;
        for (; s < end && is_digit(*s); s++, n++) {
                if (n >= 19)
                        return 0;
                v = v * 10 + (uint64_t)(*s - '0');
        }
        return s != end ? 0 : v;
}

/* ---- records ---- */

void avc_record_free(struct avc_record *d) {
        strv_free(d->perms, d->n_perms);
        free(d->comm);
        free(d->scontext);
        free(d->tcontext);
        free(d->tclass);
        free(d->stype);
        free(d->ttype);
        free(d->op);
        free(d->detail);
        free(d->record);
        *d = (struct avc_record){0};
}

static int add_perm(struct avc_record *d, const char *s, size_t n) {
        /* The array doubles when n_perms reaches a power of two. */
        if (d->n_perms == 0 || (d->n_perms >= 4 && (d->n_perms & (d->n_perms - 1)) == 0)) {
                char **np = realloc(d->perms, (d->n_perms ? d->n_perms * 2 : 4) * sizeof(*np));
                if (!np)
                        return -ENOMEM;
                d->perms = np;
        }
        if (!(d->perms[d->n_perms] = strndup(s, n)))
                return -ENOMEM;
        d->n_perms++;
        return 0;
}

/* "{ a b c }" at p (after whitespace); returns where the fields start. */
static const char *parse_perms(struct avc_record *d, const char *p, const char *end, int *r) {
        while (p < end && is_sep(*p))
                p++;
        if (p >= end || *p != '{')
                return p;
        for (p++;;) {
                while (p < end && is_sep(*p))
                        p++;
                if (p >= end)
                        break;
                if (*p == '}') {
                        p++;
                        break;
                }
                const char *w = p;
                while (p < end && is_word(*p))
                        p++;
                if (p == w || (p < end && !is_sep(*p) && *p != '}'))
                        break; /* not a permission: the set was cut off */
                if ((*r = add_perm(d, w, (size_t)(p - w))) < 0)
                        return p;
        }
        if (d->n_perms > 1) {
                size_t j = 1;
                qsort(d->perms, d->n_perms, sizeof(*d->perms), cmp_strings);
                for (size_t i = 1; i < d->n_perms; i++) {
                        if (streq(d->perms[i], d->perms[j - 1]))
                                free(d->perms[i]);
                        else
                                d->perms[j++] = d->perms[i];
                }
                d->n_perms = j;
        }
        return p;
}

enum field {
        F_COMM,
        F_SCONTEXT,
        F_TCONTEXT,
        F_TCLASS,
        F_PERMISSIVE,
        F_OP,
        F_INVALID_CONTEXT,
        F_OLDCONTEXT,
        F_NEWCONTEXT,
        F_TASKCONTEXT,
        F_PERMS,
        _F_MAX
};
static const char *const field_names[_F_MAX] = {
        "comm",       "scontext",   "tcontext",    "tclass", "permissive", "op", "invalid_context",
        "oldcontext", "newcontext", "taskcontext", "perms",
};

struct fields {
        char *v[_F_MAX];
        int permissive;
};

static void fields_free(struct fields *f) {
        for (int i = 0; i < _F_MAX; i++)
                free(f->v[i]);
}

/* key=value fields of the body [p, end); the first of each wins. Values of ausearch -i are
 * never quoted, so there comm="cni install" is comm=cni install: its value runs on over
 * words without "=". */
static int parse_fields(struct fields *fs, const char *p, const char *end, bool interpreted) {
        bool seen[_F_MAX] = {0};

        while (p < end) {
                while (p < end && (is_sep(*p) || *p == '\''))
                        p++;
                const char *k = p;
                while (p < end && (is_word(*p) || *p == '-'))
                        p++;
                if (p == k || p >= end || *p != '=') {
                        while (p < end && !is_sep(*p))
                                p++;
                        continue;
                }
                size_t klen = (size_t)(p - k);
                const char *v, *ve;
                bool quoted = false, cut = false;
                p++;
                if (p < end && *p == '"') {
                        /* comm="sh"; a missing closing quote means the record was cut off */
                        v = p + 1;
                        ve = memchr(v, '"', (size_t)(end - v));
                        quoted = true;
                        cut = !ve;
                        p = ve ? ve + 1 : end;
                } else if (starts(p, end, "\\\"")) {
                        /* comm=\"sh\" inside a JSON string (journalctl -o json) */
                        v = p + 2;
                        ve = find(v, end, "\\\"");
                        quoted = true;
                        cut = !ve;
                        p = ve ? ve + 2 : end;
                } else if (p < end && *p == '\'') {
                        /* msg='op=...': the fields inside are the record's */
                        continue;
                } else {
                        v = p;
                        while (p < end && !is_sep(*p) && *p != '\'' && *p != '"' && *p != '\\')
                                p++;
                        ve = p;
                        if (interpreted && klen == strlen("comm") && memcmp(k, "comm", klen) == 0)
                                for (const char *q = p;;) {
                                        while (q < end && is_sep(*q))
                                                q++;
                                        const char *w = q;
                                        while (q < end && !is_sep(*q) && *q != '=' && *q != '\'')
                                                q++;
                                        if (q == w || (q < end && !is_sep(*q)))
                                                break;
                                        p = ve = q;
                                }
                }
                for (int f = 0; f < _F_MAX; f++) {
                        if (seen[f] || strlen(field_names[f]) != klen || memcmp(k, field_names[f], klen) != 0)
                                continue;
                        seen[f] = true;
                        if (cut)
                                break;
                        size_t vlen = (size_t)(ve - v);
                        if (f == F_PERMISSIVE) {
                                if (vlen == 1 && (*v == '0' || *v == '1'))
                                        fs->permissive = *v - '0';
                                break;
                        }
                        char *s = f == F_COMM || f == F_INVALID_CONTEXT ? decode_untrusted(v, vlen, quoted, interpreted)
                                                                        : sanitize(v, vlen);
                        if (!s)
                                return -ENOMEM;
                        free(fs->v[f]);
                        fs->v[f] = s;
                        break;
                }
        }
        return 0;
}

static int fill_unknown(char **s) {
        if (!*s && !(*s = strdup(AVC_UNKNOWN)))
                return -ENOMEM;
        return 0;
}

/* ---- marks ---- */

enum mark { MARK_AVC, MARK_ERR, MARK_ERR_NUM, MARK_ERR_OLD, _MARK_MAX };
static const char *const mark_text[_MARK_MAX] = {"avc:", "SELINUX_ERR", "type=1", "security_compute_sid:"};

/* A mark's occurrence at q is one: SELINUX_ERR as a word (USER_SELINUX_ERR included),
 * type=1401 and type=1122 (the kernel's numbers for SELINUX_ERR and USER_SELINUX_ERR on the
 * console), the old "security_compute_sid:", each followed by white space. Every "avc:" is one. */
static bool mark_valid(enum mark m, const char *line, const char *q, const char *end) {
        const char *after = q + strlen(mark_text[m]);
        switch (m) {
        case MARK_AVC: return true;
        case MARK_ERR:
                if (q > line && is_word(q[-1]) &&
                    !(q - line >= 5 && memcmp(q - 5, "USER_", 5) == 0 && (q - 5 == line || !is_word(q[-6]))))
                        return false;
                return after == end || is_sep(*after) || *after == ':';
        case MARK_ERR_NUM:
                if ((q > line && is_word(q[-1])) || !(starts(after, end, "401") || starts(after, end, "122")))
                        return false;
                after += 3;
                return after == end || is_sep(*after);
        case MARK_ERR_OLD: return after < end && is_sep(*after);
        default: return false;
        }
}

/* The next valid occurrence of each mark at or after a position, cached: each is searched
 * again only once passed, so every byte of a line is searched once per mark. */
struct marks {
        const char *line, *end;
        const char *at[_MARK_MAX];
        const char *from[_MARK_MAX]; /* where at[m] was searched from; NULL: never */
};

static const char *mark_next(struct marks *mk, enum mark m, const char *pos) {
        if (mk->from[m] && pos >= mk->from[m] && (!mk->at[m] || pos <= mk->at[m]))
                return mk->at[m];
        const char *q = pos;
        for (;; q++) {
                q = find(q, mk->end, mark_text[m]);
                if (!q || mark_valid(m, mk->line, q, mk->end))
                        break;
        }
        mk->from[m] = pos;
        mk->at[m] = q;
        return q;
}

/* The earliest mark at or after pos, or NULL. */
static const char *mark_first(struct marks *mk, const char *pos, enum mark *which) {
        const char *best = NULL;
        for (int m = 0; m < _MARK_MAX; m++) {
                const char *q = mark_next(mk, (enum mark)m, pos);
                if (q && (!best || q < best)) {
                        best = q;
                        *which = (enum mark)m;
                }
        }
        return best;
}

/* Where an audit header glued in front of "audit(" at q starts: "type=AVC msg=" or the
 * console's "type=1400 ", even right after another value ("tclass=dirtype=AVC msg=audit("). */
static const char *header_start(const char *p, const char *q) {
        const char *h = q;
        if (h - p >= 4 && memcmp(h - 4, "msg=", 4) == 0)
                h -= 4;
        const char *s = h;
        while (s > p && (s[-1] == ' ' || s[-1] == '\t'))
                s--;
        const char *w = s;
        while (w > p && is_upper_word(w[-1]))
                w--;
        if (w < s && w - p >= 5 && memcmp(w - 5, "type=", 5) == 0)
                return w - 5;
        return h;
}

/* The end of the body that starts at p: the next mark of a record, "audit(" (with the header
 * glued in front of it), or "type=" not preceded by a letter or '_' (nlmsg_type=, msgtype=
 * are fields). */
static const char *body_end(struct marks *mk, const char *p) {
        enum mark m;
        const char *e = mark_first(mk, p, &m), *q;

        if (!e)
                e = mk->end;
        else if (m == MARK_ERR) {
                /* type=SELINUX_ERR, type=USER_SELINUX_ERR */
                if (e - p >= 5 && memcmp(e - 5, "USER_", 5) == 0)
                        e -= 5;
                if (e - p >= 5 && memcmp(e - 5, "type=", 5) == 0)
                        e -= 5;
        }
        if ((q = find(p, e, "audit(")))
                e = header_start(p, q);
        for (q = p; (q = find(q, e, "type=")); q++)
                if (q == p || !(is_alpha(q[-1]) || q[-1] == '_')) {
                        e = q;
                        break;
                }
        return e;
}

/* ---- building and handing over records ---- */

struct scan {
        struct avc_parser *p;
        struct marks mk;
        int64_t line_ms;                      /* short-iso time of the line, or -1 */
        bool json;                            /* a journal JSON entry: its context below */
        int64_t json_received_ms, json_source_ms;
        uint64_t json_serial;
};

static int emit(struct avc_parser *p, struct avc_record *d) {
        int r = p->emit(p->userdata, d);
        if (r != 1)
                avc_record_free(d);
        return r < 0 ? r : 0;
}

static void apply_entry(struct avc_record *d, int64_t received_ms, int64_t source_ms, uint64_t serial) {
        if (d->time_source < AVC_TIME_JOURNAL && (source_ms >= 0 || received_ms >= 0)) {
                d->time_source = AVC_TIME_JOURNAL;
                d->time_ms = source_ms >= 0 ? source_ms : received_ms;
        }
        if (d->stamp_ms < 0 && source_ms >= 0)
                d->stamp_ms = source_ms;
        if (d->serial == 0)
                d->serial = serial;
}

static int flush_pending(struct avc_parser *p) {
        int r = 0;
        for (size_t i = 0; i < p->n_pending; i++) {
                apply_entry(&p->pending[i], p->entry_received_ms, p->entry_source_ms, p->entry_serial);
                if (r >= 0)
                        r = emit(p, &p->pending[i]);
                else
                        avc_record_free(&p->pending[i]);
        }
        p->n_pending = 0;
        p->pending_bytes = 0;
        return r;
}

/* Held records of one entry never exceed this many bytes; past it they go with what is known. */
#define PENDING_MAX_BYTES (1 << 20)

static int deliver(struct scan *s, struct avc_record *d, size_t size) {
        struct avc_parser *p = s->p;
        int r;

        if (s->json)
                apply_entry(d, s->json_received_ms, s->json_source_ms, s->json_serial);
        else if (d->time_source == AVC_TIME_NONE && s->line_ms >= 0) {
                d->time_source = AVC_TIME_LINE;
                d->time_ms = s->line_ms;
        }
        if (!p->in_entry || s->json)
                return emit(p, d);
        if (p->pending_bytes + size > PENDING_MAX_BYTES && (r = flush_pending(p)) < 0) {
                avc_record_free(d);
                return r;
        }
        if ((r = GROW_FOR(p->pending, p->n_pending, p->allocated_pending, 8)) < 0) {
                avc_record_free(d);
                return r;
        }
        p->pending[p->n_pending++] = *d;
        p->pending_bytes += size;
        return 0;
}

/* The body [b, e) with white space folded and JSON's \" unescaped, hashed. */
static int hash_body(struct avc_parser *p, const char *b, const char *e, enum avc_kind kind, uint64_t *ret) {
        size_t n = 0;

        if ((size_t)(e - b) + 1 > p->scratch_size) {
                char *ns = realloc(p->scratch, (size_t)(e - b) + 1);
                if (!ns)
                        return -ENOMEM;
                p->scratch = ns;
                p->scratch_size = (size_t)(e - b) + 1;
        }
        while (b < e && is_sep(*b))
                b++;
        while (b < e) {
                if (is_sep(*b)) {
                        while (b < e && is_sep(*b))
                                b++;
                        if (b < e)
                                p->scratch[n++] = ' ';
                        continue;
                }
                if (b[0] == '\\' && b + 1 < e && b[1] == '"')
                        b++;
                p->scratch[n++] = *b++;
        }
        *ret = avc_hash(p->scratch, n, (uint64_t)kind + 1);
        return 0;
}

/* The last audit(...) stamp in [from, to). */
static void prefix_stamp(struct avc_record *d, const char *from, const char *to) {
        const char *after;
        for (const char *q = from; (q = find(q, to, "audit(")); q++)
                if (parse_audit_stamp(q, to, &d->time_ms, &d->serial, &d->interpreted, &after)) {
                        d->time_source = AVC_TIME_AUDIT;
                        d->stamp_ms = d->time_ms;
                        /* "audit(...) : avc:" is ausearch -i's */
                        if (starts(after, to, " :"))
                                d->interpreted = true;
                }
}

/* What every record gets: unknown fields, types, its body's hash, its text; then it is handed
 * over. The record [start, e), its body from b. */
static int finish_record(struct scan *s, struct avc_record *d, const char *start, const char *b, const char *e) {
        int r;

        if ((r = fill_unknown(&d->comm)) < 0 || (r = fill_unknown(&d->scontext)) < 0 ||
            (r = fill_unknown(&d->tcontext)) < 0 || (r = fill_unknown(&d->tclass)) < 0)
                goto fail;
        if (!(d->stype = avc_context_type(d->scontext)) || !(d->ttype = avc_context_type(d->tcontext))) {
                r = -ENOMEM;
                goto fail;
        }
        if ((r = hash_body(s->p, b, e, d->kind, &d->body_hash)) < 0)
                goto fail;
        if (s->p->keep_records) {
                d->record_len = (size_t)(e - start);
                if (!(d->record = malloc(d->record_len + 1))) {
                        r = -ENOMEM;
                        goto fail;
                }
                memcpy(d->record, start, d->record_len);
                d->record[d->record_len] = 0;
        }
        return deliver(s, d, (size_t)(e - start) * 6 + 256);
fail:
        avc_record_free(d);
        return r;
}

/* One denial: prefix [start, avc), body [body, e). */
static int parse_denial(struct scan *s, const char *start, const char *avc, const char *body, const char *e) {
        struct avc_record d = {.kind = AVC_DENIAL, .permissive = -1, .stamp_ms = -1};
        struct fields fs = {.permissive = -1};
        int r = 0;

        prefix_stamp(&d, start, avc);
        const char *f = parse_perms(&d, body, e, &r);
        if (r >= 0)
                r = parse_fields(&fs, f, e, d.interpreted);
        if (r < 0) {
                fields_free(&fs);
                avc_record_free(&d);
                return r;
        }
        d.comm = TAKE_PTR(fs.v[F_COMM]);
        d.scontext = TAKE_PTR(fs.v[F_SCONTEXT]);
        d.tcontext = TAKE_PTR(fs.v[F_TCONTEXT]);
        d.tclass = TAKE_PTR(fs.v[F_TCLASS]);
        d.permissive = fs.permissive;
        fields_free(&fs);
        return finish_record(s, &d, start, avc, e);
}

/* One SELinux error whose mark is at m: its stamp follows the mark (type=SELINUX_ERR
 * msg=audit(...): or type=1401 audit(...):), or else is the last in its prefix. Returns 1
 * when [m, ...) holds no error after all (no op= field, no invalid context), with *e set. */
static int parse_error(struct scan *s, const char *start, const char *m, enum mark which, const char **e) {
        struct avc_record d = {.kind = AVC_ERROR, .permissive = -1, .stamp_ms = -1};
        struct fields fs = {.permissive = -1};
        const char *end = s->mk.end, *b, *old = NULL, *after;
        int r;

        if (which == MARK_ERR_OLD)
                b = m;
        else {
                b = m + (which == MARK_ERR ? strlen("SELINUX_ERR") : strlen("type=1401"));
                const char *q = b;
                while (q < end && is_sep(*q))
                        q++;
                if (starts(q, end, "msg="))
                        q += 4;
                if (starts(q, end, "audit(") &&
                    parse_audit_stamp(q, end, &d.time_ms, &d.serial, &d.interpreted, &after)) {
                        d.time_source = AVC_TIME_AUDIT;
                        d.stamp_ms = d.time_ms;
                        if (starts(after, end, " :"))
                                d.interpreted = true;
                        b = after;
                        while (b < end && (is_sep(*b) || *b == ':'))
                                b++;
                } else
                        prefix_stamp(&d, start, m);
        }
        while (b < end && is_sep(*b))
                b++;
        if (starts(b, end, "security_compute_sid:"))
                old = b;
        *e = body_end(&s->mk, old ? old + strlen("security_compute_sid:") : b);
        if (which == MARK_ERR_OLD)
                prefix_stamp(&d, start, m);

        /* The old form: "security_compute_sid:  invalid context CTX for scontext=..." */
        const char *f = b;
        if (old) {
                const char *ic = find(old, *e, "invalid context ");
                if (ic) {
                        const char *v = ic + strlen("invalid context ");
                        while (v < *e && is_sep(*v))
                                v++;
                        const char *ve = v;
                        while (ve < *e && !is_sep(*ve))
                                ve++;
                        if (!(fs.v[F_INVALID_CONTEXT] = sanitize(v, (size_t)(ve - v)))) {
                                avc_record_free(&d);
                                return -ENOMEM;
                        }
                        f = ve;
                }
                if (!(fs.v[F_OP] = strdup("security_compute_sid"))) {
                        fields_free(&fs);
                        avc_record_free(&d);
                        return -ENOMEM;
                }
        }
        r = parse_fields(&fs, f, *e, d.interpreted);
        if (r >= 0 && !fs.v[F_OP] && !fs.v[F_INVALID_CONTEXT])
                r = 1;
        if (r != 0) {
                fields_free(&fs);
                avc_record_free(&d);
                return r;
        }
        /* Source, target and what was refused, whatever the operation names them. */
        int src = fs.v[F_SCONTEXT] ? F_SCONTEXT : fs.v[F_TASKCONTEXT] ? F_TASKCONTEXT : F_OLDCONTEXT;
        int tgt = fs.v[F_TCONTEXT] ? F_TCONTEXT : fs.v[F_OLDCONTEXT] && src != F_OLDCONTEXT ? F_OLDCONTEXT : F_NEWCONTEXT;
        /* newcontext may be both the target and what was refused */
        if ((fs.v[src] && !(d.scontext = strdup(fs.v[src]))) || (fs.v[tgt] && !(d.tcontext = strdup(fs.v[tgt])))) {
                fields_free(&fs);
                avc_record_free(&d);
                return -ENOMEM;
        }
        d.tclass = TAKE_PTR(fs.v[F_TCLASS]);
        d.comm = TAKE_PTR(fs.v[F_COMM]);
        d.op = TAKE_PTR(fs.v[F_OP]);
        if (fs.v[F_INVALID_CONTEXT])
                d.detail = TAKE_PTR(fs.v[F_INVALID_CONTEXT]);
        else if (fs.v[F_NEWCONTEXT])
                d.detail = TAKE_PTR(fs.v[F_NEWCONTEXT]);
        else if (fs.v[F_PERMS] && asprintf(&d.detail, "perms=%s", fs.v[F_PERMS]) < 0)
                d.detail = NULL, r = -ENOMEM;
        fields_free(&fs);
        if (r >= 0 && !d.op && !(d.op = strdup(AVC_UNKNOWN)))
                r = -ENOMEM;
        if (r >= 0 && !d.detail && !(d.detail = strdup(AVC_UNKNOWN)))
                r = -ENOMEM;
        if (r < 0) {
                avc_record_free(&d);
                return r;
        }
        return finish_record(s, &d, start, b, *e);
}

/* Every record of [text, end). */
static int scan_text(struct scan *s, const char *text, const char *end) {
        const char *start = text, *pos = text, *a;
        enum mark which;

        s->mk = (struct marks){.line = text, .end = end};
        while ((a = mark_first(&s->mk, pos, &which))) {
                if (which != MARK_AVC) {
                        const char *e;
                        int r = parse_error(s, start, a, which, &e);
                        if (r < 0)
                                return r;
                        if (r == 1) {
                                pos = a + 1;
                                continue;
                        }
                        start = pos = e;
                        continue;
                }
                const char *q = a + 4, *after;
                bool denied;

                while (q < end && (*q == ' ' || *q == '\t'))
                        q++;
                if (q == a + 4)
                        denied = false, after = NULL; /* "avc:denied" is no record */
                else if (starts(q, end, "denied"))
                        denied = true, after = q + 6;
                else if (starts(q, end, "granted"))
                        denied = false, after = q + 7;
                else
                        after = NULL;
                if (!after) {
                        pos = a + 4;
                        continue;
                }
                /* "avc:  denied  {" or a record cut off right after "denied";
                 * "avc: denied'" in some other text is not a record. */
                const char *b = after;
                while (b < end && is_sep(*b))
                        b++;
                if ((after < end && !is_sep(*after) && *after != '{') || (b < end && *b != '{')) {
                        pos = a + 4;
                        continue;
                }
                const char *e = body_end(&s->mk, after);
                if (denied) {
                        int r = parse_denial(s, start, a, after, e);
                        if (r < 0)
                                return r;
                }
                start = pos = e;
        }
        return 0;
}

/* ---- journal formats ---- */

static void entry_start(struct avc_parser *p) {
        p->in_entry = true;
        p->entry_received_ms = p->entry_source_ms = -1;
        p->entry_serial = 0;
}

/* A field line of an export, verbose or json-pretty entry: NAME=VALUE, "    NAME=VALUE",
 * "\t\"NAME\" : \"VALUE\",". Takes the entry's times and serial; the rest is scanned as text. */
static void journal_field(struct avc_parser *p, const char *s, const char *end) {
        static const char *const names[] = {"__REALTIME_TIMESTAMP", "_SOURCE_REALTIME_TIMESTAMP", "_AUDIT_ID"};
        bool quoted;

        while (s < end && (*s == ' ' || *s == '\t'))
                s++;
        quoted = s < end && *s == '"';
        s += quoted;
        const char *n = s;
        while (s < end && is_upper_word(*s))
                s++;
        size_t nlen = (size_t)(s - n);
        if (quoted) {
                if (!starts(s, end, "\" : \""))
                        return;
                s += 5;
                const char *ve = memchr(s, '"', (size_t)(end - s));
                if (!ve)
                        return;
                end = ve;
        } else if (s >= end || *s++ != '=')
                return;
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                if (strlen(names[i]) != nlen || memcmp(n, names[i], nlen) != 0)
                        continue;
                if (!p->in_entry)
                        entry_start(p);
                if (i == 0)
                        p->entry_received_ms = usec_field(s, end);
                else if (i == 1)
                        p->entry_source_ms = usec_field(s, end);
                else
                        p->entry_serial = serial_field(s, end);
        }
}

/* "Tue 2023-11-14 22:13:30.100123 UTC [s=...;i=...;b=...;m=...;t=5fe2c7...;x=...]" starts a
 * journalctl -o verbose entry; t= is its __REALTIME_TIMESTAMP in hexadecimal (*ms, or -1). */
static bool verbose_header(const char *line, const char *end, int64_t *ms) {
        const char *br = find(line, end, " [s=");
        if (line == end || is_sep(*line) || end[-1] != ']' || !br || !find(br, end, ";i="))
                return false;
        const char *t = find(br, end, ";t=");
        *ms = -1;
        if (t) {
                int64_t us = 0;
                int n = 0;
                for (t += 3; t < end && hex_value(*t) >= 0 && n < 15; t++, n++)
                        us = us * 16 + hex_value(*t);
                if (n > 0 && t < end && (*t == ';' || *t == ']'))
                        *ms = us / 1000;
        }
        return true;
}

/* MESSAGE of a journal JSON entry: a string, or an array of byte values when it is not valid
 * UTF-8 text, or an array of those when the field is there more than once. */
static int json_message(struct scan *s, json_object *v, int depth) {
        if (json_object_is_type(v, json_type_string)) {
                const char *t = json_object_get_string(v);
                return scan_text(s, t, t + json_object_get_string_len(v));
        }
        if (!json_object_is_type(v, json_type_array) || depth > 1)
                return 0;
        size_t n = json_object_array_length(v);
        bool bytes = n > 0;
        for (size_t i = 0; bytes && i < n; i++) {
                json_object *e = json_object_array_get_idx(v, i);
                bytes = json_object_is_type(e, json_type_int) && json_object_get_int64(e) >= 0 &&
                        json_object_get_int64(e) <= 255;
        }
        if (!bytes) {
                for (size_t i = 0; i < n; i++) {
                        int r = json_message(s, json_object_array_get_idx(v, i), depth + 1);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        _cleanup_free_ char *buf = malloc(n);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                buf[i] = (char)json_object_get_int64(json_object_array_get_idx(v, i));
        return scan_text(s, buf, buf + n);
}

static int64_t json_usec(json_object *o, const char *key) {
        json_object *v;
        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return -1;
        const char *t = json_object_get_string(v);
        return usec_field(t, t + json_object_get_string_len(v));
}

/* A journalctl -o json (or json-seq) line: 1 when it was one, 0 when not. */
static int json_line(struct avc_parser *p, const char *line, const char *end) {
        json_object *o, *msg, *v;
        int r = 0;

        while (line < end && (*line == 0x1e || is_sep(*line)))
                line++;
        while (end > line && is_sep(end[-1]))
                end--;
        if (end - line < 2 || *line != '{' || end[-1] != '}' || end - line > INT32_MAX)
                return 0;
        json_tokener *tok = json_tokener_new_ex(8);
        if (!tok)
                return -ENOMEM;
        o = json_tokener_parse_ex(tok, line, (int)(end - line));
        bool whole = o && json_tokener_get_error(tok) == json_tokener_success &&
                     json_tokener_get_parse_end(tok) == (size_t)(end - line);
        json_tokener_free(tok);
        if (!whole || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "MESSAGE", &msg)) {
                json_object_put(o);
                return 0;
        }
        struct scan s = {.p = p, .line_ms = -1, .json = true};
        s.json_received_ms = json_usec(o, "__REALTIME_TIMESTAMP");
        s.json_source_ms = json_usec(o, "_SOURCE_REALTIME_TIMESTAMP");
        if (json_object_object_get_ex(o, "_AUDIT_ID", &v) && json_object_is_type(v, json_type_string))
                s.json_serial = serial_field(json_object_get_string(v),
                                             json_object_get_string(v) + json_object_get_string_len(v));
        r = json_message(&s, msg, 0);
        json_object_put(o);
        return r < 0 ? r : 1;
}

/* json-pretty's MESSAGE: "\t\"MESSAGE\" : \"...\"," decoded as the JSON string it is (so that a
 * copy's text does not depend on whether a comma follows it), or "\t\"MESSAGE\" : [" and
 * then a byte value a line up to "]". 1 when the line was one of those, 0 if not. */
static int pretty_message(struct avc_parser *p, const char *line, const char *end) {
        const char *s = line, *e = end;

        while (s < e && (*s == ' ' || *s == '\t'))
                s++;
        while (e > s && (is_sep(e[-1]) || e[-1] == ','))
                e--;
        if (p->in_bytes) {
                int v = 0, n = 0;
                for (const char *q = s; q < e && is_digit(*q) && n < 4; q++, n++)
                        v = v * 10 + (*q - '0');
                if (n > 0 && n == e - s && v <= 255) {
                        if (p->n_bytes < AVC_LINE_MAX)
                                p->bytes[p->n_bytes++] = (char)v;
                        return 1;
                }
                p->in_bytes = false;
                if (e - s == 1 && *s == ']') {
                        struct scan sc = {.p = p, .line_ms = -1};
                        int r = scan_text(&sc, p->bytes, p->bytes + p->n_bytes);
                        return r < 0 ? r : 1;
                }
        }
        if (!starts(s, e, "\"MESSAGE\" : "))
                return 0;
        s += strlen("\"MESSAGE\" : ");
        if (e - s == 1 && *s == '[') {
                if (!p->bytes && !(p->bytes = malloc(AVC_LINE_MAX)))
                        return -ENOMEM;
                p->in_bytes = true;
                p->n_bytes = 0;
                return 1;
        }
        if (e - s < 2 || *s != '"' || e[-1] != '"' || e - s > INT32_MAX)
                return 0;
        json_tokener *tok = json_tokener_new_ex(2);
        if (!tok)
                return -ENOMEM;
        json_object *o = json_tokener_parse_ex(tok, s, (int)(e - s));
        bool whole = o && json_object_is_type(o, json_type_string) &&
                     json_tokener_get_error(tok) == json_tokener_success &&
                     json_tokener_get_parse_end(tok) == (size_t)(e - s);
        json_tokener_free(tok);
        int r = 0;
        if (whole) {
                struct scan sc = {.p = p, .line_ms = -1};
                const char *t = json_object_get_string(o);
                r = scan_text(&sc, t, t + json_object_get_string_len(o));
        }
        json_object_put(o);
        return r < 0 ? r : whole;
}

/* ---- the parser ---- */

void avc_parser_init(struct avc_parser *p, avc_emit_fn emit_fn, void *userdata, bool keep_records) {
        *p = (struct avc_parser){.emit = emit_fn, .userdata = userdata, .keep_records = keep_records};
        entry_start(p);
        p->in_entry = false;
}

int avc_parse_line(struct avc_parser *p, const char *line, size_t len) {
        const char *end = line + len;
        int r;

        while (end > line && end[-1] == '\r')
                end--;
        /* Journal entries: export's start with __CURSOR= and end with a blank line, verbose's
         * start with their header line, json-pretty's are braces on lines of their own. */
        int64_t header_ms;
        bool closes = end == line || ((end - line == 1 || (end - line == 2 && line[1] == ',')) && line[0] == '}');
        bool opens = starts(line, end, "__CURSOR=") || (end - line == 1 && line[0] == '{');
        bool verbose = !closes && !opens && verbose_header(line, end, &header_ms);
        if (closes || opens || verbose) {
                r = flush_pending(p);
                p->in_entry = false;
                if (opens || verbose)
                        entry_start(p);
                if (verbose)
                        p->entry_received_ms = header_ms;
                return r;
        }
        if (line[0] == '{' || line[0] == 0x1e) {
                r = json_line(p, line, end);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
        if ((r = pretty_message(p, line, end)) != 0)
                return r < 0 ? r : 0;
        journal_field(p, line, end);

        struct scan s = {.p = p, .line_ms = line_time(line, end)};
        return scan_text(&s, line, end);
}

int avc_parser_finish(struct avc_parser *p) {
        int r = flush_pending(p);
        p->in_entry = false;
        return r;
}

void avc_parser_free(struct avc_parser *p) {
        for (size_t i = 0; i < p->n_pending; i++)
                avc_record_free(&p->pending[i]);
        free(p->pending);
        free(p->scratch);
        free(p->bytes);
        p->pending = NULL;
        p->scratch = NULL;
        p->bytes = NULL;
        p->n_pending = p->allocated_pending = p->scratch_size = 0;
}

int avc_parse_buffer(struct avc_parser *p, const char *buf, size_t len) {
        const char *end = buf + len;

        while (buf < end) {
                const char *nl = memchr(buf, '\n', (size_t)(end - buf));
                const char *le = nl ? nl : end;
                int r = avc_parse_line(p, buf, (size_t)(le - buf));
                if (r < 0)
                        return r;
                buf = nl ? nl + 1 : end;
        }
        return avc_parser_finish(p);
}

#define READ_SIZE (256 * 1024)

int avc_parse_stream(struct avc_parser *p, FILE *f, size_t *n_skipped) {
        _cleanup_free_ char *buf = malloc(READ_SIZE), *line = malloc(AVC_LINE_MAX);
        size_t llen = 0, n;
        bool skipping = false;
        int r;

        if (!buf || !line)
                return -ENOMEM;
        *n_skipped = 0;
        /* read(2) where there is a descriptor: a pipe's records are handed over as they come,
         * not when 256 KiB have gathered */
        int fd = fileno(f);
        for (;;) {
                if (fd >= 0) {
                        ssize_t k = read(fd, buf, READ_SIZE);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0)
                                return negerrno();
                        n = (size_t)k;
                } else
                        n = fread(buf, 1, READ_SIZE, f);
                if (n == 0)
                        break;
                const char *q = buf, *end = buf + n;
                while (q < end) {
                        const char *nl = memchr(q, '\n', (size_t)(end - q));
                        const char *se = nl ? nl : end;
                        size_t sl = (size_t)(se - q);
                        if (!skipping && llen == 0 && nl && sl <= AVC_LINE_MAX) {
                                /* the whole line is in the buffer: no copy */
                                if ((r = avc_parse_line(p, q, sl)) < 0)
                                        return r;
                                q = nl + 1;
                                continue;
                        }
                        if (!skipping && llen + sl > AVC_LINE_MAX) {
                                skipping = true;
                                llen = 0;
                        }
                        if (!skipping) {
                                memcpy(line + llen, q, sl);
                                llen += sl;
                        }
                        if (nl) {
                                if (skipping)
                                        (*n_skipped)++;
                                else if ((r = avc_parse_line(p, line, llen)) < 0)
                                        return r;
                                skipping = false;
                                llen = 0;
                                q = nl + 1;
                        } else
                                q = end;
                }
        }
        if (fd < 0 && ferror(f))
                return errno > 0 ? -errno : -EIO;
        if (skipping)
                (*n_skipped)++;
        else if (llen > 0 && (r = avc_parse_line(p, line, llen)) < 0)
                return r;
        return avc_parser_finish(p);
}

/* ---- the collector ---- */

int avc_list_collect(void *userdata, struct avc_record *r) {
        struct avc_list *l = userdata;
        int q = GROW_FOR(l->items, l->n, l->allocated, 16);
        if (q < 0)
                return q;
        l->items[l->n++] = *r;
        return 1;
}

int avc_list_parse(const char *buf, size_t len, struct avc_list *list) {
        struct avc_parser p;

        avc_parser_init(&p, avc_list_collect, list, true);
        int r = avc_parse_buffer(&p, buf, len);
        avc_parser_free(&p);
        return r;
}

void avc_list_free(struct avc_list *list) {
        for (size_t i = 0; i < list->n; i++)
                avc_record_free(&list->items[i]);
        free(list->items);
        *list = (struct avc_list){0};
}
