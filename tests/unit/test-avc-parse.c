/* SPDX-License-Identifier: MIT */
/* The AVC record parser: every input form, interleaved, truncated and
 * multi-record lines, hex-encoded comm, CR/LF, NUL bytes, non-UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/avc-parse.h"
#include "lib/util.h"

#define SCON "scontext=system_u:system_r:container_t:s0:c123,c456"
#define TCON "tcontext=system_u:object_r:etc_t:s0"
#define BODY "avc:  denied  { write } for  pid=2345 comm=\"cp\" name=\"net.d\" dev=\"vda9\" ino=131090 " SCON " " TCON " tclass=dir permissive=1"
#define AUDITLOG "type=AVC msg=audit(1700000010.100:201): " BODY

static struct avc_list parse_n(const char *s, size_t len, size_t want) {
        struct avc_list l = {0};

        assert_int_equal(avc_parse_buffer(s, len, &l), 0);
        assert_int_equal(l.n, want);
        return l;
}
static struct avc_list parse(const char *s, size_t want) { return parse_n(s, strlen(s), want); }

static void assert_perms(const struct avc_denial *d, const char *joined) {
        char buf[256] = "";
        for (size_t i = 0; i < d->n_perms; i++) {
                if (i)
                        strcat(buf, " ");
                strcat(buf, d->perms[i]);
        }
        assert_string_equal(buf, joined);
}

static void assert_record(const struct avc_denial *d, const char *want) {
        assert_int_equal(d->record_len, strlen(want));
        assert_memory_equal(d->record, want, d->record_len);
}

/* The flannel CNI denial as every source writes it. */
static void assert_flannel(const struct avc_denial *d) {
        assert_perms(d, "write");
        assert_string_equal(d->comm, "cp");
        assert_string_equal(d->scontext, "system_u:system_r:container_t:s0:c123,c456");
        assert_string_equal(d->tcontext, "system_u:object_r:etc_t:s0");
        assert_string_equal(d->stype, "container_t");
        assert_string_equal(d->ttype, "etc_t");
        assert_string_equal(d->tclass, "dir");
        assert_int_equal(d->permissive, 1);
}

static void test_audit_log(void **state) {
        struct avc_list l = parse(AUDITLOG "\n", 1);
        const struct avc_denial *d = &l.items[0];

        assert_flannel(d);
        assert_int_equal(d->time_source, AVC_TIME_AUDIT);
        assert_int_equal(d->time_ms, 1700000010100);
        assert_int_equal(d->serial, 201);
        assert_record(d, AUDITLOG);
        avc_list_free(&l);
}

static void test_journal_short(void **state) {
        struct avc_list l = parse("Nov 23 12:00:00 host audit[2345]: AVC " BODY "\n"
                                  "Nov 23 12:00:01 host kernel: audit: type=1400 audit(1700000000.123:456): " BODY "\n",
                                  2);

        assert_flannel(&l.items[0]);
        assert_int_equal(l.items[0].time_source, AVC_TIME_NONE);
        assert_int_equal(l.items[0].serial, 0);
        assert_record(&l.items[0], "Nov 23 12:00:00 host audit[2345]: AVC " BODY);
        assert_flannel(&l.items[1]);
        assert_int_equal(l.items[1].time_source, AVC_TIME_AUDIT);
        assert_int_equal(l.items[1].time_ms, 1700000000123);
        assert_int_equal(l.items[1].serial, 456);
        avc_list_free(&l);
}

static void test_dmesg_crlf(void **state) {
        struct avc_list l = parse("[   12.345678] audit: type=1400 audit(1700000000.123:456): " BODY "\r\n"
                                  "[   12.4] random: crng init done\r\r\n",
                                  1);

        assert_flannel(&l.items[0]);
        assert_int_equal(l.items[0].time_ms, 1700000000123);
        assert_record(&l.items[0], "[   12.345678] audit: type=1400 audit(1700000000.123:456): " BODY);
        avc_list_free(&l);
}

static void test_not_denials(void **state) {
        struct avc_list l = parse(
                "type=AVC msg=audit(1700000090.000:341): avc:  granted  { setenforce } for  pid=3001 "
                "comm=\"setenforce\" scontext=u:r:unconfined_t:s0 tcontext=u:object_r:security_t:s0 tclass=security\n"
                "type=SELINUX_ERR msg=audit(1700000040.000:250): op=security_compute_sid "
                "invalid_context=\"system_u:system_r:container_t:s0\" scontext=u:r:init_t:s0 tcontext=u:r:bin_t:s0 "
                "tclass=process\n"
                "$ grep \"avc:  denied\" /var/log/audit/audit.log\n"
                "see avc: deniedness, avc:  denied: nothing, avc:denied\n"
                "\n",
                0);
        avc_list_free(&l);
}

static void test_single_space_and_tabs(void **state) {
        struct avc_list l = parse("avc: denied\t{ read }\tfor comm=\"sh\"\ttclass=file\n", 1);

        assert_perms(&l.items[0], "read");
        assert_string_equal(l.items[0].comm, "sh");
        assert_string_equal(l.items[0].tclass, "file");
        assert_string_equal(l.items[0].scontext, "?");
        assert_string_equal(l.items[0].stype, "?");
        assert_int_equal(l.items[0].permissive, -1);
        avc_list_free(&l);
}

/* Records glued together, as when writers race on a console. */
static void test_multi_record_line(void **state) {
        const char *a = "type=AVC msg=audit(1700000100.000:400): " BODY;
        const char *b = "type=AVC msg=audit(1700000100.250:401): avc:  denied  { read } for  comm=\"iptables\" "
                        "scontext=u:r:container_t:s0 tcontext=u:object_r:iptables_var_run_t:s0 tclass=file "
                        "permissive=0";
        const char *c = " Nov 23 12:00:00 host audit[1]: AVC avc:  denied  { getattr } for comm=\"x\"";
        char line[2048];

        snprintf(line, sizeof(line), "%s%s%s avc:  granted  { setenforce } for comm=\"y\"\n", a, b, c);
        struct avc_list l = parse(line, 3);

        assert_flannel(&l.items[0]);
        assert_int_equal(l.items[0].time_ms, 1700000100000);
        assert_record(&l.items[0], a);
        assert_perms(&l.items[1], "read");
        assert_string_equal(l.items[1].comm, "iptables");
        assert_string_equal(l.items[1].ttype, "iptables_var_run_t");
        assert_int_equal(l.items[1].permissive, 0);
        assert_int_equal(l.items[1].time_ms, 1700000100250);
        assert_int_equal(l.items[1].serial, 401);
        /* The third record's prefix is in the second's body (nothing marks
         * where it starts); its body ends at the "avc:  granted". */
        char want[1024];
        snprintf(want, sizeof(want), "%s Nov 23 12:00:00 host audit[1]: AVC ", b);
        assert_record(&l.items[1], want);
        assert_perms(&l.items[2], "getattr");
        assert_string_equal(l.items[2].comm, "x");
        assert_int_equal(l.items[2].time_source, AVC_TIME_NONE);
        assert_record(&l.items[2], "avc:  denied  { getattr } for comm=\"x\" ");
        avc_list_free(&l);
}

/* A record cut by another: the first keeps what it had, the other record's
 * fields (after its header) are not taken for the first's. */
static void test_interleaved(void **state) {
        struct avc_list l = parse(
                "[   20.0] audit: type=1400 audit(1700000101.000:402): avc:  denied  { read } for  pid=7 "
                "comm=\"iptables\" [   20.1] audit: type=1400 audit(1700000101.500:403): avc:  denied  { open } "
                "for  pid=7 comm=\"ip6tables\" " SCON " " TCON " tclass=file permissive=1\n"
                "type=AVC msg=audit(1700000104.000:406): " BODY " junk type=SYSCALL msg=audit(1700000104.000:406): "
                "comm=\"notcp\" tclass=file scontext=a:b:c_t:s0\n",
                3);

        assert_perms(&l.items[0], "read");
        assert_string_equal(l.items[0].comm, "iptables");
        assert_string_equal(l.items[0].scontext, "?");
        assert_string_equal(l.items[0].tclass, "?");
        assert_int_equal(l.items[0].permissive, -1);
        assert_int_equal(l.items[0].time_ms, 1700000101000);
        assert_record(&l.items[0], "[   20.0] audit: type=1400 audit(1700000101.000:402): avc:  denied  { read } for  "
                                   "pid=7 comm=\"iptables\" [   20.1] audit: ");
        assert_perms(&l.items[1], "open");
        assert_string_equal(l.items[1].comm, "ip6tables");
        assert_string_equal(l.items[1].stype, "container_t");
        assert_int_equal(l.items[1].time_ms, 1700000101500);
        assert_flannel(&l.items[2]);
        assert_int_equal(l.items[2].time_ms, 1700000104000);
        avc_list_free(&l);
}

static void test_truncated(void **state) {
        struct avc_list l = parse(
                "type=AVC msg=audit(1700000102.000:404): avc:  denied  { read } for  pid=9 comm=\"sh\" " SCON " tcon\n"
                "Nov 14 22:15:03 node1 audit[9]: AVC avc:  denied  { getattr read\n"
                "kernel: audit: type=1400 audit(1700000103.000:405): avc:  denied\n"
                "avc:  denied  { write } for comm=\"sh scontext=a:b:c_t tclass=dir\n"
                "avc:  denied  { write } for comm=\n",
                5);

        assert_perms(&l.items[0], "read");
        assert_string_equal(l.items[0].comm, "sh");
        assert_string_equal(l.items[0].stype, "container_t");
        assert_string_equal(l.items[0].tcontext, "?");
        assert_string_equal(l.items[0].ttype, "?");
        assert_string_equal(l.items[0].tclass, "?");
        assert_int_equal(l.items[0].permissive, -1);

        assert_perms(&l.items[1], "getattr read");
        assert_string_equal(l.items[1].comm, "?");

        assert_int_equal(l.items[2].n_perms, 0);
        assert_string_equal(l.items[2].comm, "?");
        assert_string_equal(l.items[2].stype, "?");
        assert_int_equal(l.items[2].time_ms, 1700000103000);
        assert_int_equal(l.items[2].serial, 405);

        /* An unterminated quote: the value is unknown, nothing after it is a field. */
        assert_string_equal(l.items[3].comm, "?");
        assert_string_equal(l.items[3].scontext, "?");
        assert_string_equal(l.items[3].tclass, "?");
        /* An empty value. */
        assert_string_equal(l.items[4].comm, "?");
        avc_list_free(&l);
}

static void test_hex_comm(void **state) {
        struct avc_list l = parse("avc:  denied  { read } for comm=2F62696E\n"
                                  "avc:  denied  { read } for comm=636E6920696E7374616C6C\n"
                                  "avc:  denied  { read } for comm=6b756265\n"
                                  "avc:  denied  { read } for comm=E282AC01\n"
                                  "avc:  denied  { read } for comm=\"2F62696E\"\n"
                                  "avc:  denied  { read } for comm=ABC\n"
                                  "avc:  denied  { read } for comm=kubelet\n"
                                  "avc:  denied  { read } for comm=\"we\xff\"\n"
                                  "avc:  denied  { read } for comm=22\n",
                                  9);

        assert_string_equal(l.items[0].comm, "/bin");
        assert_string_equal(l.items[1].comm, "cni install");
        assert_string_equal(l.items[2].comm, "kube");
        assert_string_equal(l.items[3].comm, "\\xe2\\x82\\xac\\x01");
        assert_string_equal(l.items[4].comm, "2F62696E"); /* quoted: as is */
        assert_string_equal(l.items[5].comm, "ABC");      /* odd length: not hex */
        assert_string_equal(l.items[6].comm, "kubelet");
        assert_string_equal(l.items[7].comm, "we\\xff");
        assert_string_equal(l.items[8].comm, "\"");
        avc_list_free(&l);
}

static void test_perms(void **state) {
        struct avc_list l = parse("avc:  denied  { write read open read } for comm=\"a\"\n"
                                  "avc:  denied  {} for comm=\"b\"\n"
                                  "avc:  denied  { read wri=te } for comm=\"c\"\n"
                                  "avc:  denied  {read}\n",
                                  4);

        assert_perms(&l.items[0], "open read write");
        assert_int_equal(l.items[1].n_perms, 0);
        assert_string_equal(l.items[1].comm, "b");
        assert_perms(&l.items[2], "read");
        assert_string_equal(l.items[2].comm, "c");
        assert_perms(&l.items[3], "read");
        avc_list_free(&l);
}

static void test_fields(void **state) {
        struct avc_list l = parse(
                /* first of each field wins; permissive must be 0 or 1 */
                "avc:  denied  { read } for tclass=file tclass=dir permissive=2 comm=\"a\" comm=\"b\"\n"
                "avc:  denied  { read } for xtclass=sock_file permissive=0 nlmsg_type=1 tclass=netlink_route_socket\n"
                /* USER_AVC: inside msg='...', cmdline with spaces */
                "type=USER_AVC msg=audit(1700000050.000:260): pid=1 uid=0 subj=system_u:system_r:init_t:s0 "
                "msg='avc:  denied  { status } for auid=n/a uid=0 gid=0 cmdline=\"/usr/bin/systemctl is-active x\" "
                "scontext=u:r:container_t:s0 tcontext=u:r:init_t:s0 tclass=system permissive=1  "
                "exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'\n"
                /* journalctl -o json */
                "{\"MESSAGE\":\"AVC avc:  denied  { write } for  pid=1 comm=\\\"sh\\\" scontext=u:r:container_t:s0 "
                "tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\",\"_AUDIT_ID\":\"5\"}\n",
                4);

        assert_string_equal(l.items[0].tclass, "file");
        assert_int_equal(l.items[0].permissive, -1);
        assert_string_equal(l.items[0].comm, "a");
        assert_string_equal(l.items[1].tclass, "netlink_route_socket");
        assert_int_equal(l.items[1].permissive, 0);
        assert_perms(&l.items[2], "status");
        assert_string_equal(l.items[2].comm, "?");
        assert_string_equal(l.items[2].stype, "container_t");
        assert_string_equal(l.items[2].ttype, "init_t");
        assert_string_equal(l.items[2].tclass, "system");
        assert_int_equal(l.items[2].permissive, 1);
        assert_int_equal(l.items[2].time_ms, 1700000050000);
        assert_string_equal(l.items[3].comm, "sh");
        assert_string_equal(l.items[3].ttype, "etc_t");
        assert_string_equal(l.items[3].tclass, "dir");
        assert_int_equal(l.items[3].permissive, 1);
        avc_list_free(&l);
}

static void test_timestamps(void **state) {
        struct avc_list l = parse("audit(1700000000.5:1): avc:  denied  { a }\n"
                                  "audit(1700000000.123456:2): avc:  denied  { b }\n"
                                  "audit(99999999999999.000:3): avc:  denied  { c }\n"
                                  "audit(1700000000:4): avc:  denied  { d }\n"
                                  "audit(1700000000.000:5) audit(1700000001.000:6) avc:  denied  { e }\n"
                                  "audit(1700000001.000:7 avc:  denied  { f }\n"
                                  "audit(0.000:8): avc:  denied  { g }\n",
                                  7);

        assert_int_equal(l.items[0].time_ms, 1700000000500);
        assert_int_equal(l.items[1].time_ms, 1700000000123);
        assert_int_equal(l.items[1].serial, 2);
        assert_int_equal(l.items[2].time_source, AVC_TIME_NONE);
        assert_int_equal(l.items[3].time_source, AVC_TIME_NONE);
        assert_int_equal(l.items[4].time_ms, 1700000001000); /* the last stamp before avc: */
        assert_int_equal(l.items[4].serial, 6);
        assert_int_equal(l.items[5].time_source, AVC_TIME_NONE);
        assert_int_equal(l.items[6].time_source, AVC_TIME_AUDIT);
        assert_int_equal(l.items[6].time_ms, 0);
        avc_list_free(&l);
}

static void test_journal_export(void **state) {
        struct avc_list l = parse("__CURSOR=s=1;i=1\n"
                                  "__REALTIME_TIMESTAMP=1700000010100123\n"
                                  "MESSAGE=AVC avc:  denied  { a } for comm=\"x\"\n"
                                  "_SOURCE_REALTIME_TIMESTAMP=1700000010099000\n"
                                  "__REALTIME_TIMESTAMP=1700000010200000\n"
                                  "\n"
                                  "__CURSOR=s=1;i=2\n"
                                  "__REALTIME_TIMESTAMP=1700000020260456\n"
                                  "MESSAGE=AVC avc:  denied  { b } for comm=\"x\"\n"
                                  "MESSAGE=audit(1700000029.999:240): avc:  denied  { c } for comm=\"x\"\n"
                                  "\n"
                                  "MESSAGE=AVC avc:  denied  { d } for comm=\"x\"\n"
                                  "__REALTIME_TIMESTAMP=bogus\n",
                                  4);

        assert_int_equal(l.items[0].time_source, AVC_TIME_JOURNAL);
        assert_int_equal(l.items[0].time_ms, 1700000010099); /* the source time wins */
        assert_int_equal(l.items[1].time_ms, 1700000020260);
        assert_int_equal(l.items[2].time_source, AVC_TIME_AUDIT);
        assert_int_equal(l.items[2].time_ms, 1700000029999);
        assert_int_equal(l.items[3].time_source, AVC_TIME_NONE);
        avc_list_free(&l);
}

static void test_nul_and_binary(void **state) {
        static const char in[] = "\0\0\xff\xfe garbage\0avc:\0denied { x }\n"
                                 "type=AVC msg=audit(1700000200.000:500): avc:  denied  { execute } for comm=\"a\0b\" "
                                 "scontext=u:r:container_t:s0\x1dUID=\"root\" tcontext=u:object_r:bin_t:s0\x00tclass=file\n"
                                 "avc:  denied  { read } for comm=\"\x1b[31mred\" tclass=file\r";
        struct avc_list l = parse_n(in, sizeof(in) - 1, 2);

        assert_perms(&l.items[0], "execute");
        assert_string_equal(l.items[0].comm, "a\\x00b");
        assert_string_equal(l.items[0].stype, "container_t");
        assert_string_equal(l.items[0].ttype, "bin_t");
        assert_string_equal(l.items[0].tclass, "file");
        assert_int_equal(l.items[0].record_len, strlen("type=AVC msg=audit(1700000200.000:500): avc:  denied  { "
                                                        "execute } for comm=\"a") + 1 +
                                                         strlen("b\" scontext=u:r:container_t:s0\x1dUID=\"root\" "
                                                                "tcontext=u:object_r:bin_t:s0") + 1 +
                                                         strlen("tclass=file"));
        assert_string_equal(l.items[1].comm, "\\x1b[31mred");
        assert_record(&l.items[1], "avc:  denied  { read } for comm=\"\x1b[31mred\" tclass=file");
        avc_list_free(&l);
}

static void test_long_line(void **state) {
        size_t junk = 4 << 20;
        size_t len = junk + strlen(AUDITLOG) * 2 + 2;
        _cleanup_free_ char *s = malloc(len + 1);

        assert_non_null(s);
        memset(s, 'x', junk);
        s[junk] = ' ';
        strcpy(s + junk + 1, AUDITLOG);
        strcat(s, " " AUDITLOG);
        struct avc_list l = parse(s, 2);
        assert_flannel(&l.items[0]);
        assert_flannel(&l.items[1]);
        assert_int_equal(l.items[0].record_len, junk + 1 + strlen(AUDITLOG) + 1);
        assert_record(&l.items[1], AUDITLOG);
        avc_list_free(&l);
}

static void test_stream(void **state) {
        static const char in[] = AUDITLOG "\r\n\0\n" AUDITLOG;
        FILE *f = fmemopen((void *)in, sizeof(in) - 1, "r");
        struct avc_list l = {0};

        assert_non_null(f);
        assert_int_equal(avc_parse_stream(f, true, &l), 0);
        fclose(f);
        assert_int_equal(l.n, 2);
        assert_record(&l.items[0], AUDITLOG);
        assert_record(&l.items[1], AUDITLOG);
        avc_list_free(&l);

        f = fmemopen((void *)in, sizeof(in) - 1, "r");
        assert_non_null(f);
        assert_int_equal(avc_parse_stream(f, false, &l), 0);
        fclose(f);
        assert_int_equal(l.n, 2);
        assert_null(l.items[1].record);
        assert_int_equal(l.items[1].record_len, 0);
        assert_flannel(&l.items[1]);
        avc_list_free(&l);

        f = fopen("/", "re");
        assert_non_null(f);
        assert_int_equal(avc_parse_stream(f, true, &l), -EISDIR);
        fclose(f);
        assert_int_equal(l.n, 0);
        avc_list_free(&l);
}

static void context_type(const char *ctx, const char *want) {
        _cleanup_free_ char *t = avc_context_type(ctx);
        assert_string_equal(t, want);
}

static void test_context_type(void **state) {
        context_type("system_u:system_r:container_t:s0:c1,c2", "container_t");
        context_type("u:r:t", "t");
        context_type("u:r:t:s0-s0:c0.c1023", "t");
        context_type("u:r:", "?");
        context_type("u:r::s0", "?");
        context_type("u:r", "?");
        context_type("kernel", "?");
        context_type("", "?");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_audit_log),
                cmocka_unit_test(test_journal_short),
                cmocka_unit_test(test_dmesg_crlf),
                cmocka_unit_test(test_not_denials),
                cmocka_unit_test(test_single_space_and_tabs),
                cmocka_unit_test(test_multi_record_line),
                cmocka_unit_test(test_interleaved),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_hex_comm),
                cmocka_unit_test(test_perms),
                cmocka_unit_test(test_fields),
                cmocka_unit_test(test_timestamps),
                cmocka_unit_test(test_journal_export),
                cmocka_unit_test(test_nul_and_binary),
                cmocka_unit_test(test_long_line),
                cmocka_unit_test(test_stream),
                cmocka_unit_test(test_context_type),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
