/* SPDX-License-Identifier: MIT */
/* The denial report: grouping, ordering, permissive states, the would-be-enforced count,
 * SELinux errors, copies of one record counted once, the bounds on memory, and the exact table,
 * JSON, CIL, Ignition and --raw outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "lib/util.h"
#include "report/avc-parse.h"
#include "report/denials.h"

#define R1 "type=AVC msg=audit(1700000010.100:1): avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1"
#define R2 "type=AVC msg=audit(1700000005.000:2): avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=0"
#define R3 "avc:  denied  { read } for comm=\"iptables\" scontext=u:r:container_t:s0 tcontext=u:object_r:iptables_var_run_t:s0 tclass=file"
#define R4 "type=AVC msg=audit(1700000020.000:3): avc:  denied  { search } for comm=\"wg\" scontext=u:r:wireguard_t:s0 tcontext=u:object_r:proc_t:s0 tclass=dir permissive=1"
#define E1 "type=SELINUX_ERR msg=audit(1700000030.000:4): op=security_compute_sid invalid_context=\"staff_u:staff_r:staff_userhelper_t:s0\" scontext=staff_u:staff_r:staff_t:s0 tcontext=system_u:object_r:userhelper_exec_t:s0 tclass=process"
#define E2 "type=SELINUX_ERR msg=audit(1700000031.000:5): op=security_validate_transition seresult=denied oldcontext=u:object_r:etc_t:s0 newcontext=u:object_r:shadow_t:s0 taskcontext=u:r:sshd_t:s0 tclass=file"
#define INPUT R1 "\n" R2 "\n" R3 "\n" R4 "\n"

static int add_record(void *userdata, struct avc_record *rec) {
        int q = denial_report_add(userdata, rec);
        return q < 0 ? q : 0;
}

static void build(struct denial_report *rep, const char *in, char *const *domains, size_t n) {
        struct avc_parser p;

        assert_int_equal(denial_report_init(rep, domains, n), 0);
        avc_parser_init(&p, add_record, rep, false);
        assert_int_equal(avc_parse_buffer(&p, in, strlen(in)), 0);
        avc_parser_free(&p);
        assert_int_equal(denial_report_finish(rep), 0);
}

typedef int (*printer)(const struct denial_report *r, FILE *f);

static char *output(const struct denial_report *r, printer p) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        assert_non_null(f);
        assert_int_equal(p(r, f), 0);
        fclose(f);
        return buf;
}

static void assert_output(const struct denial_report *r, printer p, const char *want) {
        _cleanup_free_ char *buf = output(r, p);
        assert_string_equal(buf, want);
}

static void test_group(void **state) {
        struct denial_report rep;
        build(&rep, INPUT R3 "\n", NULL, 0);

        assert_int_equal(rep.n_denials, 5);
        assert_int_equal(rep.n_groups, 3);
        assert_int_equal(rep.n_enforced, 5);
        assert_int_equal(rep.n_duplicates, 0);
        /* by count, then by key */
        const struct denial_group *g = rep.groups[0];
        assert_int_equal(g->count, 2);
        assert_string_equal(g->ttype, "etc_t");
        assert_true(g->has_time);
        assert_int_equal(g->first_ms, 1700000005000); /* earliest, not first seen */
        assert_int_equal(g->last_ms, 1700000010100);
        assert_string_equal(denial_group_permissive(g), "mixed");
        g = rep.groups[1];
        assert_int_equal(g->count, 2); /* R3 twice: no stamp, so no copy of each other */
        assert_string_equal(g->ttype, "iptables_var_run_t");
        assert_false(g->has_time);
        assert_string_equal(denial_group_permissive(g), "?");
        g = rep.groups[2];
        assert_int_equal(g->count, 1);
        assert_string_equal(g->stype, "wireguard_t");
        assert_string_equal(denial_group_permissive(g), "yes");
        denial_report_free(&rep);
}

/* Permissions compare as sets; comm and class split groups. */
static void test_group_key(void **state) {
        struct denial_report rep;
        build(&rep,
              "avc:  denied  { read write } for comm=\"a\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=file permissive=0\n"
              "avc:  denied  { write read } for comm=\"a\" scontext=u:r:s_t:s0:c1 tcontext=u:r:t_t:s0 tclass=file permissive=0\n"
              "avc:  denied  { read } for comm=\"a\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=file permissive=0\n"
              "avc:  denied  { read write } for comm=\"b\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=file\n"
              "avc:  denied  { read write } for comm=\"a\" scontext=u:r:s_t:s0 tcontext=u:r:t_t:s0 tclass=dir\n",
              NULL, 0);

        assert_int_equal(rep.n_groups, 4);
        assert_int_equal(rep.groups[0]->count, 2);
        assert_int_equal(rep.groups[0]->n_perms, 2);
        assert_string_equal(denial_group_permissive(rep.groups[0]), "no");
        assert_string_equal(rep.groups[1]->tclass, "dir");
        assert_string_equal(rep.groups[2]->tclass, "file");
        assert_int_equal(rep.groups[2]->n_perms, 1);
        assert_string_equal(rep.groups[3]->comm, "b");
        denial_report_free(&rep);
}

static void test_permissive_domains(void **state) {
        static char *const domains[] = {"wireguard_t", "other_t"};
        struct denial_report rep;

        build(&rep, INPUT, domains, 2);
        assert_int_equal(rep.n_denials, 4);
        assert_int_equal(rep.n_enforced, 3);
        assert_string_equal(denial_group_permissive(rep.groups[2]), "domain");
        denial_report_free(&rep);

        build(&rep, R4 "\n", domains, 1);
        assert_int_equal(rep.n_enforced, 0);
        denial_report_free(&rep);
}

static void test_empty(void **state) {
        struct denial_report rep;

        build(&rep, "type=AVC msg=audit(1.000:1): avc:  granted  { setenforce }\n", NULL, 0);
        assert_int_equal(rep.n_groups, 0);
        assert_output(&rep, denials_print_table, "0 denials in 0 groups; 0 would be enforced\n");
        assert_output(&rep, denials_print_json,
                      "{\n"
                      "  \"denials\": [\n"
                      "  ],\n"
                      "  \"selinuxErrors\": [\n"
                      "  ],\n"
                      "  \"summary\": {\n"
                      "    \"denials\": 0,\n"
                      "    \"groups\": 0,\n"
                      "    \"enforced\": 0,\n"
                      "    \"selinuxErrors\": 0,\n"
                      "    \"selinuxErrorGroups\": 0,\n"
                      "    \"duplicates\": 0,\n"
                      "    \"ungrouped\": 0,\n"
                      "    \"skippedLines\": 0\n"
                      "  }\n"
                      "}\n");
        assert_output(&rep, denials_print_ignition,
                      "{\n"
                      "  \"selinux\": {\n"
                      "    \"modules\": [\n"
                      "    ]\n"
                      "  }\n"
                      "}\n");
        denial_report_free(&rep);

        build(&rep, R4 "\n", NULL, 0);
        assert_output(&rep, denials_print_summary, "1 denial in 1 group; 1 would be enforced\n");
        denial_report_free(&rep);
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
        struct denial_report rep;

        build(&rep, INPUT, domains, 1);
        assert_output(&rep, denials_print_table,
                      "COUNT  SOURCE       TARGET              CLASS  PERMISSIONS  COMM      PERMISSIVE  FIRST                     LAST\n"
                      "    2  container_t  etc_t               dir    write        cp        mixed       2023-11-14T22:13:25.000Z  2023-11-14T22:13:30.100Z\n"
                      "    1  container_t  iptables_var_run_t  file   read         iptables  ?           ?                         ?\n"
                      "    1  wireguard_t  proc_t              dir    search       wg        domain      2023-11-14T22:13:40.000Z  2023-11-14T22:13:40.000Z\n"
                      "\n"
                      "4 denials in 3 groups; 3 would be enforced\n");
        denial_report_free(&rep);
}

/* SELinux errors: their own table and summary line, all counted as refused. */
static void test_table_errors(void **state) {
        struct denial_report rep;

        build(&rep, R4 "\n" E1 "\n" E1 "\n" E2 "\n", NULL, 0);
        assert_int_equal(rep.n_errors, 2);
        assert_int_equal(rep.n_error_groups, 2);
        assert_int_equal(rep.n_duplicates, 1);
        assert_output(&rep, denials_print_table,
                      "COUNT  SOURCE       TARGET  CLASS  PERMISSIONS  COMM  PERMISSIVE  FIRST                     LAST\n"
                      "    1  wireguard_t  proc_t  dir    search       wg    yes         2023-11-14T22:13:40.000Z  2023-11-14T22:13:40.000Z\n"
                      "\n"
                      "COUNT  ERROR                         SOURCE   TARGET             CLASS    DETAIL                                 FIRST                     LAST\n"
                      "    1  security_compute_sid          staff_t  userhelper_exec_t  process  staff_u:staff_r:staff_userhelper_t:s0  2023-11-14T22:13:50.000Z  2023-11-14T22:13:50.000Z\n"
                      "    1  security_validate_transition  sshd_t   etc_t              file     u:object_r:shadow_t:s0                 2023-11-14T22:13:51.000Z  2023-11-14T22:13:51.000Z\n"
                      "\n"
                      "1 denial in 1 group; 1 would be enforced\n"
                      "2 SELinux errors (invalid contexts, refused transitions) in 2 groups; 2 would be refused\n"
                      "1 copy of records already counted left out (the same audit event read twice)\n");
        denial_report_free(&rep);

        /* errors alone */
        build(&rep, E1 "\n", NULL, 0);
        _cleanup_free_ char *t = output(&rep, denials_print_table);
        assert_true(strncmp(t, "COUNT  ERROR ", 13) == 0);
        assert_non_null(strstr(t, "\n0 denials in 0 groups; 0 would be enforced\n1 SELinux error (invalid contexts, "
                                  "refused transitions) in 1 group; 1 would be refused\n"));
        denial_report_free(&rep);
}

/* One audit event read twice counts once; two events count twice however alike. */
static void test_copies(void **state) {
        struct denial_report rep;
#define KMSG "Nov 14 22:13:30 node1 kernel: audit: type=1400 audit(1700000010.100:201): "
#define SOCK "Nov 14 22:13:30 node1 audit[2345]: AVC "
#define BODY(pid) "avc:  denied  { write } for  pid=" pid " comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1"

        /* the same line twice; two records of one event; the same record with another serial;
         * the same serial and body at another time (another boot) */
        build(&rep,
              R1 "\n" R1 "\n"
                 "type=AVC msg=audit(1700000010.100:1): avc:  denied  { read } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\n"
                 "type=AVC msg=audit(1700000010.100:9): avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\n"
                 "type=AVC msg=audit(1800000010.100:1): avc:  denied  { write } for comm=\"cp\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\n",
              NULL, 0);
        assert_int_equal(rep.n_denials, 4);
        assert_int_equal(rep.n_duplicates, 1);
        denial_report_free(&rep);

        /* journal short, kmsg copy first: the audit socket's copy (no stamp) pairs with it */
        build(&rep, KMSG BODY("1") "\n" SOCK BODY("1") "\n" SOCK BODY("2") "\n", NULL, 0);
        assert_int_equal(rep.n_denials, 2);
        assert_int_equal(rep.n_duplicates, 1);
        denial_report_free(&rep);

        /* the other way round: the stamped copy brings the time to the group */
        build(&rep, SOCK BODY("1") "\n" KMSG BODY("1") "\n", NULL, 0);
        assert_int_equal(rep.n_denials, 1);
        assert_int_equal(rep.n_duplicates, 1);
        assert_true(rep.groups[0]->has_time);
        assert_int_equal(rep.groups[0]->first_ms, 1700000010100);
        denial_report_free(&rep);

        /* two copies without a stamp are two events (nothing says otherwise) */
        build(&rep, SOCK BODY("1") "\n" SOCK BODY("1") "\n", NULL, 0);
        assert_int_equal(rep.n_denials, 2);
        assert_int_equal(rep.n_duplicates, 0);
        denial_report_free(&rep);

        /* journal export: the audit socket's copy carries _AUDIT_ID and the stamp's time */
        build(&rep,
              "__CURSOR=a\n__REALTIME_TIMESTAMP=1700000010200000\n_TRANSPORT=kernel\n"
              "MESSAGE=audit: type=1400 audit(1700000010.100:201): " BODY("1") "\n\n"
              "__CURSOR=b\n__REALTIME_TIMESTAMP=1700000010200500\n_TRANSPORT=audit\n_AUDIT_ID=201\n"
              "MESSAGE=AVC " BODY("1") "\n_SOURCE_REALTIME_TIMESTAMP=1700000010100000\n\n"
              "{\"_AUDIT_ID\":\"201\",\"_SOURCE_REALTIME_TIMESTAMP\":\"1700000010100000\",\"MESSAGE\":\"AVC " 
              "avc:  denied  { write } for  pid=1 comm=\\\"cp\\\" scontext=u:r:container_t:s0 "
              "tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\"}\n",
              NULL, 0);
        assert_int_equal(rep.n_denials, 1);
        assert_int_equal(rep.n_duplicates, 2);
        denial_report_free(&rep);

        /* SELinux errors too */
        build(&rep,
              "[ 1.0] audit: type=1401 audit(1700000030.000:4): op=security_compute_sid invalid_context=\"u:r:a_t:s0\" scontext=u:r:b_t:s0 tcontext=u:object_r:c_t:s0 tclass=process\n"
              "Nov 14 node1 audit: SELINUX_ERR op=security_compute_sid invalid_context=\"u:r:a_t:s0\" scontext=u:r:b_t:s0 tcontext=u:object_r:c_t:s0 tclass=process\n",
              NULL, 0);
        assert_int_equal(rep.n_errors, 1);
        assert_int_equal(rep.n_duplicates, 1);
        denial_report_free(&rep);
#undef KMSG
#undef SOCK
#undef BODY
}

/* Copies are looked for among the recent records only: the table of them has a fixed size. */
static void test_copies_window(void **state) {
        struct denial_report rep;
        char *perms[] = {"read"};
        struct avc_record d = {.kind = AVC_DENIAL, .perms = perms, .n_perms = 1, .comm = "x", .scontext = "u:r:a_t:s0",
                               .tcontext = "u:r:b_t:s0", .tclass = "file", .stype = "a_t", .ttype = "b_t",
                               .permissive = 1, .stamp_ms = 1000, .time_source = AVC_TIME_AUDIT, .time_ms = 1000};
        const size_t n = 400000;

        assert_int_equal(denial_report_init(&rep, NULL, 0), 0);
        for (size_t i = 1; i <= n; i++) {
                d.serial = i;
                d.body_hash = avc_hash(&i, sizeof(i), 1);
                assert_int_equal(denial_report_add(&rep, &d), 1);
        }
        /* the last is remembered, the first long forgotten */
        assert_int_equal(denial_report_add(&rep, &d), 0);
        d.serial = 1;
        size_t one = 1;
        d.body_hash = avc_hash(&one, sizeof(one), 1);
        assert_int_equal(denial_report_add(&rep, &d), 1);
        assert_int_equal(rep.n_denials, n + 1);
        assert_int_equal(rep.n_groups, 1);
        denial_report_free(&rep);
}

/* Past the bound on the groups' memory, records are counted but not grouped. */
static void test_group_bound(void **state) {
        struct denial_report rep;
        char comm[32], *perms[] = {"read"};
        struct avc_record d = {.kind = AVC_DENIAL, .perms = perms, .n_perms = 1, .comm = comm, .scontext = "u:r:a_t:s0",
                               .tcontext = "u:r:b_t:s0", .tclass = "file", .stype = "a_t", .ttype = "b_t",
                               .permissive = -1, .stamp_ms = -1};

        assert_int_equal(denial_report_init(&rep, NULL, 0), 0);
        rep.group_bytes_max = 4096;
        for (size_t i = 0; i < 1000; i++) {
                snprintf(comm, sizeof(comm), "c%zu", i);
                d.body_hash = i;
                assert_int_equal(denial_report_add(&rep, &d), 1);
        }
        assert_true(rep.n_groups > 10 && rep.n_groups < 100);
        assert_true(rep.group_bytes <= 4096);
        assert_int_equal(rep.n_denials, 1000);
        assert_int_equal(rep.n_enforced, 1000);
        assert_int_equal(rep.n_ungrouped, 1000 - rep.n_groups);
        /* a record of an existing group is still grouped */
        snprintf(comm, sizeof(comm), "c0");
        d.body_hash = 5000;
        assert_int_equal(denial_report_add(&rep, &d), 1);
        assert_int_equal(denial_report_finish(&rep), 0);
        assert_int_equal(rep.n_ungrouped, 1000 - rep.n_groups);
        assert_int_equal(rep.groups[0]->count, 2);
        _cleanup_free_ char *cil = output(&rep, denials_print_cil);
        char want[128];
        snprintf(want, sizeof(want), "; Left out: %zu records past the memory bound for groups.\n", rep.n_ungrouped);
        assert_non_null(strstr(cil, want));
        denial_report_free(&rep);
}

/* --raw: each record as read, after its key; control bytes escaped. */
static void test_raw_record(void **state) {
        static const char in[] = R1 "\n"
                                 "avc:  denied  { read } for comm=\"\x1b]0;x\a\" tclass=file \xff\n" E1 "\n"
                                 "avc:  denied  { read } for comm=\"a\0b\" tclass=file\n";
        static char *const domains[] = {"container_t"};
        struct avc_list l = {0};
        struct denial_report rep;
        char *buf = NULL;
        size_t len = 0;

        assert_int_equal(avc_list_parse(in, sizeof(in) - 1, &l), 0);
        assert_int_equal(l.n, 4);
        assert_int_equal(denial_report_init(&rep, domains, 1), 0);
        FILE *f = open_memstream(&buf, &len);
        for (size_t i = 0; i < l.n; i++)
                assert_int_equal(denials_print_record(&rep, &l.items[i], f), 0);
        fclose(f);
        assert_string_equal(
                buf, "# container_t -> etc_t:dir { write } comm=cp permissive=domain time=2023-11-14T22:13:30.100Z\n" R1 "\n"
                     "# ? -> ?:file { read } comm=\\x1b]0;x\\x07 permissive=? time=?\n"
                     "avc:  denied  { read } for comm=\"\\x1b]0;x\\x07\" tclass=file \xff\n"
                     "# SELinux error security_compute_sid: staff_t -> userhelper_exec_t:process "
                     "staff_u:staff_r:staff_userhelper_t:s0 time=2023-11-14T22:13:50.000Z\n" E1 "\n"
                     "# ? -> ?:file { read } comm=a\\x00b permissive=? time=?\n"
                     "avc:  denied  { read } for comm=\"a\\x00b\" tclass=file\n");
        free(buf);

        f = open_memstream(&buf, &len);
        for (size_t i = 0; i < l.n; i++)
                assert_int_equal(denials_print_record_json(&rep, &l.items[i], i == 0, f), 0);
        fclose(f);
        /* each a JSON object, ASCII only: together, an array */
        _cleanup_free_ char *array = NULL;
        assert_true(asprintf(&array, "[%s]", buf) > 0);
        for (const char *c = buf; *c; c++)
                assert_true((unsigned char)*c < 0x80);
        json_object *a = json_tokener_parse(array);
        assert_non_null(a);
        assert_int_equal(json_object_array_length(a), 4);
        json_object *o = json_object_array_get_idx(a, 1), *v;
        assert_true(json_object_object_get_ex(o, "record", &v));
        assert_string_equal(json_object_get_string(v), "avc:  denied  { read } for comm=\"\\x1b]0;x\\x07\" tclass=file \\xff");
        o = json_object_array_get_idx(a, 2);
        assert_true(json_object_object_get_ex(o, "kind", &v));
        assert_string_equal(json_object_get_string(v), "selinuxError");
        assert_true(json_object_object_get_ex(o, "detail", &v));
        assert_string_equal(json_object_get_string(v), "staff_u:staff_r:staff_userhelper_t:s0");
        o = json_object_array_get_idx(a, 0);
        assert_true(json_object_object_get_ex(o, "permissive", &v));
        assert_string_equal(json_object_get_string(v), "domain");
        json_object_put(a);
        free(buf);
        denial_report_free(&rep);
        avc_list_free(&l);
}

static void test_json(void **state) {
        struct denial_report rep;

        build(&rep, R3 "\n" "avc:  denied  { } for comm=\"x\"\n" E2 "\n", NULL, 0);
        assert_output(&rep, denials_print_json,
                      "{\n"
                      "  \"denials\": [\n"
                      "    {\n"
                      "      \"source\": \"?\",\n"
                      "      \"target\": \"?\",\n"
                      "      \"class\": \"?\",\n"
                      "      \"permissions\": [\n"
                      "      ],\n"
                      "      \"comm\": \"x\",\n"
                      "      \"count\": 1,\n"
                      "      \"first\": \"?\",\n"
                      "      \"last\": \"?\",\n"
                      "      \"permissive\": \"?\"\n"
                      "    },\n"
                      "    {\n"
                      "      \"source\": \"container_t\",\n"
                      "      \"target\": \"iptables_var_run_t\",\n"
                      "      \"class\": \"file\",\n"
                      "      \"permissions\": [\n"
                      "        \"read\"\n"
                      "      ],\n"
                      "      \"comm\": \"iptables\",\n"
                      "      \"count\": 1,\n"
                      "      \"first\": \"?\",\n"
                      "      \"last\": \"?\",\n"
                      "      \"permissive\": \"?\"\n"
                      "    }\n"
                      "  ],\n"
                      "  \"selinuxErrors\": [\n"
                      "    {\n"
                      "      \"error\": \"security_validate_transition\",\n"
                      "      \"source\": \"sshd_t\",\n"
                      "      \"target\": \"etc_t\",\n"
                      "      \"class\": \"file\",\n"
                      "      \"detail\": \"u:object_r:shadow_t:s0\",\n"
                      "      \"count\": 1,\n"
                      "      \"first\": \"2023-11-14T22:13:51.000Z\",\n"
                      "      \"last\": \"2023-11-14T22:13:51.000Z\"\n"
                      "    }\n"
                      "  ],\n"
                      "  \"summary\": {\n"
                      "    \"denials\": 2,\n"
                      "    \"groups\": 2,\n"
                      "    \"enforced\": 2,\n"
                      "    \"selinuxErrors\": 1,\n"
                      "    \"selinuxErrorGroups\": 1,\n"
                      "    \"duplicates\": 0,\n"
                      "    \"ungrouped\": 0,\n"
                      "    \"skippedLines\": 0\n"
                      "  }\n"
                      "}\n");
        denial_report_free(&rep);
}

#define CIL_HEAD                                                                                                  \
        "; ignition-selinux denials --cil: one allow rule per source type, target type and class,\n"             \
        "; with the permissions of all their denials merged, as audit2allow derives them.\n"                     \
        "; A machine logging permissive (the whole system, or the domain) logs every access it\n"                \
        "; would refuse when enforcing, needed or not: these rules allow all of them. Read each\n"               \
        "; before installing it; a boolean may allow the same more narrowly.\n"

/* Permissions merged per source, target and class across commands and permission sets; self;
 * what no rule can say is left out, with a comment. */
static void test_cil(void **state) {
        static char *const domains[] = {"wireguard_t"};
        struct denial_report rep;

        build(&rep,
              INPUT
              "avc:  denied  { add_name write } for comm=\"mv\" scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir\n"
              "avc:  denied  { net_admin } for comm=\"ip\" scontext=u:r:container_t:s0 tcontext=u:r:container_t:s0 tclass=capability\n"
              "avc:  denied  { } for comm=\"x\" scontext=u:r:container_t:s0 tcontext=u:r:container_t:s0 tclass=file\n"
              "avc:  denied  { read } for comm=\"x\" scontext=u:r:bad(t:s0 tcontext=u:r:container_t:s0 tclass=file\n"
              E1 "\n" E1 "\n" E2 "\n"
              "type=SELINUX_ERR msg=audit(1.000:77): op=security_compute_sid invalid_context=\"system_u:object_r:x_t:s0\" scontext=u:r:a_t:s0 tcontext=u:r:b_t:s0 tclass=process\n",
              domains, 1);
        assert_output(&rep, denials_print_cil,
                      CIL_HEAD
                      "(allow container_t self (capability (net_admin)))\n"
                      "(allow container_t etc_t (dir (add_name write)))\n"
                      "(allow container_t iptables_var_run_t (file (read)))\n"
                      "; Contexts the kernel refused as invalid (SELINUX_ERR): the role may lack the type (the\n"
                      "; rules below), or the user the role, or the level be out of the user's range.\n"
                      "(roletype staff_r staff_userhelper_t)\n"
                      "; Left out: 1 denial of domains declared permissive (--permissive-domain).\n"
                      "; Left out: 2 denials with no usable source, target, class or permissions.\n"
                      "; Left out: 2 SELinux errors no rule allows (transitions a constraint refused).\n");

        /* the same as a block: the CIL as one module */
        _cleanup_free_ char *cil = output(&rep, denials_print_cil), *ign = output(&rep, denials_print_ignition);
        json_object *o = json_tokener_parse(ign), *sel, *mods, *m, *v;
        assert_non_null(o);
        assert_true(json_object_object_get_ex(o, "selinux", &sel));
        assert_int_equal(json_object_object_length(sel), 1);
        assert_true(json_object_object_get_ex(sel, "modules", &mods));
        assert_int_equal(json_object_array_length(mods), 1);
        m = json_object_array_get_idx(mods, 0);
        assert_int_equal(json_object_object_length(m), 2);
        assert_true(json_object_object_get_ex(m, "name", &v));
        assert_string_equal(json_object_get_string(v), "local-denials");
        assert_true(json_object_object_get_ex(m, "cil", &v));
        assert_string_equal(json_object_get_string(v), cil);
        json_object_put(o);
        denial_report_free(&rep);
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
                cmocka_unit_test(test_table_errors),
                cmocka_unit_test(test_copies),
                cmocka_unit_test(test_copies_window),
                cmocka_unit_test(test_group_bound),
                cmocka_unit_test(test_raw_record),
                cmocka_unit_test(test_json),
                cmocka_unit_test(test_cil),
                cmocka_unit_test(test_run_unreadable),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
