/* SPDX-License-Identifier: MIT */
/* The denial report: grouping, ordering, permissive states, the
 * would-be-enforced count, and the exact table, raw and JSON outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/avc-parse.h"
#include "report/denials.h"
#include "lib/util.h"

#define R1 "type=AVC msg=audit(1700000010.100:1): avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1"
#define R2 "type=AVC msg=audit(1700000005.000:2): avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=0"
#define R3 "avc:  denied  { read } for comm=\"iptables\" scontext=u:r:container_t:s0 tcontext=u:object_r:iptables_var_run_t:s0 tclass=file"
#define R4 "type=AVC msg=audit(1700000020.000:3): avc:  denied  { search } for comm=\"wg\" scontext=u:r:wireguard_t:s0 tcontext=u:object_r:proc_t:s0 tclass=dir permissive=1"
#define INPUT R1 "\n" R2 "\n" R3 "\n" R4 "\n"

struct fixture {
        struct avc_list list;
        struct denial_report rep;
};

static void build(struct fixture *fx, const char *in, char *const *domains, size_t n) {
        *fx = (struct fixture){0};
        assert_int_equal(avc_parse_buffer(in, strlen(in), &fx->list), 0);
        assert_int_equal(denials_group(&fx->list, domains, n, &fx->rep), 0);
}

static void destroy(struct fixture *fx) {
        denial_report_free(&fx->rep);
        avc_list_free(&fx->list);
}

typedef int (*printer)(const struct denial_report *r, FILE *f);

static void assert_output(const struct denial_report *r, printer p, const char *want) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        assert_non_null(f);
        assert_int_equal(p(r, f), 0);
        fclose(f);
        assert_string_equal(buf, want);
        free(buf);
}

static int print_json(const struct denial_report *r, FILE *f) { return denials_print_json(r, false, f); }
static int print_json_records(const struct denial_report *r, FILE *f) { return denials_print_json(r, true, f); }

static void test_group(void **state) {
        struct fixture fx;
        build(&fx, INPUT R3 "\n", NULL, 0);

        assert_int_equal(fx.rep.n_denials, 5);
        assert_int_equal(fx.rep.n_groups, 3);
        assert_int_equal(fx.rep.n_enforced, 5);
        /* by count, then by key */
        const struct denial_group *g = &fx.rep.groups[0];
        assert_int_equal(g->count, 2);
        assert_string_equal(g->key->ttype, "etc_t");
        assert_int_equal(g->members[0], 0); /* input order within the group */
        assert_int_equal(g->members[1], 1);
        assert_true(g->has_time);
        assert_int_equal(g->first_ms, 1700000005000); /* earliest, not first seen */
        assert_int_equal(g->last_ms, 1700000010100);
        assert_string_equal(denial_group_permissive(g), "mixed");
        g = &fx.rep.groups[1];
        assert_int_equal(g->count, 2);
        assert_string_equal(g->key->ttype, "iptables_var_run_t");
        assert_int_equal(g->members[0], 2);
        assert_int_equal(g->members[1], 4);
        assert_false(g->has_time);
        assert_string_equal(denial_group_permissive(g), "?");
        g = &fx.rep.groups[2];
        assert_int_equal(g->count, 1);
        assert_string_equal(g->key->stype, "wireguard_t");
        assert_string_equal(denial_group_permissive(g), "yes");
        destroy(&fx);
}

/* Permissions compare as sets; comm and class split groups. */
static void test_group_key(void **state) {
        struct fixture fx;
        build(&fx,
              "avc:  denied  { read write } for comm=\"a\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=file permissive=0\n"
              "avc:  denied  { write read } for comm=\"a\" scontext=u:r:s_t:s0:c1 tcontext=u:r:t_t:s0 tclass=file permissive=0\n"
              "avc:  denied  { read } for comm=\"a\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=file permissive=0\n"
              "avc:  denied  { read write } for comm=\"b\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=file\n"
              "avc:  denied  { read write } for comm=\"a\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=dir\n",
              NULL, 0);

        assert_int_equal(fx.rep.n_groups, 4);
        assert_int_equal(fx.rep.groups[0].count, 2);
        assert_int_equal(fx.rep.groups[0].key->n_perms, 2);
        assert_string_equal(denial_group_permissive(&fx.rep.groups[0]), "no");
        assert_string_equal(fx.rep.groups[1].key->tclass, "dir");
        assert_string_equal(fx.rep.groups[2].key->tclass, "file");
        assert_int_equal(fx.rep.groups[2].key->n_perms, 1);
        assert_string_equal(fx.rep.groups[3].key->comm, "b");
        destroy(&fx);
}

static void test_permissive_domains(void **state) {
        static char *const domains[] = {"wireguard_t", "other_t"};
        struct fixture fx;

        build(&fx, INPUT, domains, 2);
        assert_int_equal(fx.rep.n_denials, 4);
        assert_int_equal(fx.rep.n_enforced, 3);
        assert_string_equal(denial_group_permissive(&fx.rep.groups[2]), "domain");
        destroy(&fx);

        build(&fx, R4 "\n", domains, 1);
        assert_int_equal(fx.rep.n_enforced, 0);
        destroy(&fx);
}

static void test_empty(void **state) {
        struct fixture fx;

        build(&fx, "type=AVC msg=audit(1.000:1): avc:  granted  { setenforce }\n", NULL, 0);
        assert_int_equal(fx.rep.n_groups, 0);
        assert_output(&fx.rep, denials_print_table, "0 denials in 0 groups; 0 would be enforced\n");
        assert_output(&fx.rep, denials_print_raw, "0 denials in 0 groups; 0 would be enforced\n");
        assert_output(&fx.rep, print_json, "[]\n");
        destroy(&fx);

        build(&fx, R4 "\n", NULL, 0);
        assert_output(&fx.rep, denials_print_summary, "1 denial in 1 group; 1 would be enforced\n");
        destroy(&fx);
}

static void test_format_time(void **state) {
        char buf[32];

        assert_string_equal(denials_format_time(0, buf, sizeof(buf)), "1970-01-01T00:00:00.000Z");
        assert_string_equal(denials_format_time(1700000000123, buf, sizeof(buf)), "2023-11-14T22:13:20.123Z");
        assert_string_equal(denials_format_time(253402300799999, buf, sizeof(buf)), "9999-12-31T23:59:59.999Z");
        assert_string_equal(denials_format_time(-1, buf, sizeof(buf)), "?");
}

static void test_table(void **state) {
        static char *const domains[] = {"wireguard_t"};
        struct fixture fx;

        build(&fx, INPUT, domains, 1);
        assert_output(&fx.rep, denials_print_table,
                      "COUNT  SOURCE       TARGET              CLASS  PERMISSIONS  COMM      PERMISSIVE  FIRST                     LAST\n"
                      "    2  container_t  etc_t               dir    write        cp        mixed       2023-11-14T22:13:25.000Z  2023-11-14T22:13:30.100Z\n"
                      "    1  container_t  iptables_var_run_t  file   read         iptables  ?           ?                         ?\n"
                      "    1  wireguard_t  proc_t              dir    search       wg        domain      2023-11-14T22:13:40.000Z  2023-11-14T22:13:40.000Z\n"
                      "\n"
                      "4 denials in 3 groups; 3 would be enforced\n");
        destroy(&fx);
}

static void test_raw(void **state) {
        struct fixture fx;

        build(&fx, INPUT "avc:  denied  { read } for comm=\"\x1b]0;x\a\" tclass=file\n", NULL, 0);
        assert_output(&fx.rep, denials_print_raw,
                      "# 2 denials: container_t -> etc_t:dir { write } comm=cp permissive=mixed first=2023-11-14T22:13:25.000Z last=2023-11-14T22:13:30.100Z\n"
                      R1 "\n" R2 "\n"
                      "\n"
                      "# 1 denial: ? -> ?:file { read } comm=\\x1b]0;x\\x07 permissive=? first=? last=?\n"
                      "avc:  denied  { read } for comm=\"\\x1b]0;x\\x07\" tclass=file\n"
                      "\n"
                      "# 1 denial: container_t -> iptables_var_run_t:file { read } comm=iptables permissive=? first=? last=?\n"
                      R3 "\n"
                      "\n"
                      "# 1 denial: wireguard_t -> proc_t:dir { search } comm=wg permissive=yes first=2023-11-14T22:13:40.000Z last=2023-11-14T22:13:40.000Z\n"
                      R4 "\n"
                      "\n"
                      "5 denials in 4 groups; 5 would be enforced\n");
        destroy(&fx);
}

/* A NUL inside a record is kept in the raw text, written \x00. */
static void test_raw_nul(void **state) {
        static const char in[] = "avc:  denied  { read } for comm=\"a\0b\" tclass=file \xff\n";
        struct avc_list l = {0};
        struct denial_report rep;

        assert_int_equal(avc_parse_buffer(in, sizeof(in) - 1, &l), 0);
        assert_int_equal(denials_group(&l, NULL, 0, &rep), 0);
        assert_output(&rep, denials_print_raw,
                      "# 1 denial: ? -> ?:file { read } comm=a\\x00b permissive=? first=? last=?\n"
                      "avc:  denied  { read } for comm=\"a\\x00b\" tclass=file \xff\n"
                      "\n"
                      "1 denial in 1 group; 1 would be enforced\n");
        assert_output(&rep, print_json_records,
                      "[\n"
                      "  {\n"
                      "    \"source\": \"?\",\n"
                      "    \"target\": \"?\",\n"
                      "    \"class\": \"file\",\n"
                      "    \"permissions\": [\n"
                      "      \"read\"\n"
                      "    ],\n"
                      "    \"comm\": \"a\\\\x00b\",\n"
                      "    \"count\": 1,\n"
                      "    \"first\": \"?\",\n"
                      "    \"last\": \"?\",\n"
                      "    \"permissive\": \"?\",\n"
                      "    \"records\": [\n"
                      "      \"avc:  denied  { read } for comm=\\\"a\\\\x00b\\\" tclass=file \\\\xff\"\n"
                      "    ]\n"
                      "  }\n"
                      "]\n");
        denial_report_free(&rep);
        avc_list_free(&l);
}

static void test_json(void **state) {
        struct fixture fx;

        build(&fx, R3 "\n" "avc:  denied  { } for comm=\"x\"\n", NULL, 0);
        assert_output(&fx.rep, print_json,
                      "[\n"
                      "  {\n"
                      "    \"source\": \"?\",\n"
                      "    \"target\": \"?\",\n"
                      "    \"class\": \"?\",\n"
                      "    \"permissions\": [\n"
                      "    ],\n"
                      "    \"comm\": \"x\",\n"
                      "    \"count\": 1,\n"
                      "    \"first\": \"?\",\n"
                      "    \"last\": \"?\",\n"
                      "    \"permissive\": \"?\"\n"
                      "  },\n"
                      "  {\n"
                      "    \"source\": \"container_t\",\n"
                      "    \"target\": \"iptables_var_run_t\",\n"
                      "    \"class\": \"file\",\n"
                      "    \"permissions\": [\n"
                      "      \"read\"\n"
                      "    ],\n"
                      "    \"comm\": \"iptables\",\n"
                      "    \"count\": 1,\n"
                      "    \"first\": \"?\",\n"
                      "    \"last\": \"?\",\n"
                      "    \"permissive\": \"?\"\n"
                      "  }\n"
                      "]\n");
        destroy(&fx);
}

static void test_run_unreadable(void **state) {
        struct denials_opts o = {0};
        size_t n = 99;

        assert_int_equal(denials_run("/nonexistent/audit.log", &o, &n), -ENOENT);
        assert_int_equal(denials_run("/", &o, &n), -EISDIR);
        assert_int_equal(n, 99);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_group),
                cmocka_unit_test(test_group_key),
                cmocka_unit_test(test_permissive_domains),
                cmocka_unit_test(test_empty),
                cmocka_unit_test(test_format_time),
                cmocka_unit_test(test_table),
                cmocka_unit_test(test_raw),
                cmocka_unit_test(test_raw_nul),
                cmocka_unit_test(test_json),
                cmocka_unit_test(test_run_unreadable),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
