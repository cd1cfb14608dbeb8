/* SPDX-License-Identifier: MIT */
/* The audit record parser: every input form (audit.log raw and as ausearch -i writes it,
 * journal short, short-iso, export, verbose, JSON, json-pretty, dmesg), SELinux errors in all
 * their forms, interleaved, glued, truncated and multi-record lines, hex-encoded values, CR/LF,
 * NUL bytes, non-UTF-8, the stream's line bound and what ties copies of one record. */
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
#include <time.h>

#include "report/avc-parse.h"
#include "lib/util.h"

#define SCON "scontext=system_u:system_r:container_t:s0:c123,c456"
#define TCON "tcontext=system_u:object_r:etc_t:s0"
#define BODY "avc:  denied  { write } for  pid=2345 comm=\"cp\" name=\"net.d\" dev=\"vda9\" ino=131090 " SCON " " TCON " tclass=dir permissive=1"
#define AUDITLOG "type=AVC msg=audit(1700000010.100:201): " BODY

static struct avc_list parse_n(const char *s, size_t len, size_t want) {
        struct avc_list l = {0};

        assert_int_equal(avc_list_parse(s, len, &l), 0);
        assert_int_equal(l.n, want);
        return l;
}
static struct avc_list parse(const char *s, size_t want) { return parse_n(s, strlen(s), want); }

static void assert_perms(const struct avc_record *d, const char *joined) {
        char buf[256] = "";
        for (size_t i = 0; i < d->n_perms; i++) {
                if (i)
                        strcat(buf, " ");
                strcat(buf, d->perms[i]);
        }
        assert_string_equal(buf, joined);
}

static void assert_record(const struct avc_record *d, const char *want) {
        assert_int_equal(d->record_len, strlen(want));
        assert_memory_equal(d->record, want, d->record_len);
}

/* The flannel CNI denial as every source writes it. */
static void assert_flannel(const struct avc_record *d) {
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
        const struct avc_record *d = &l.items[0];

        assert_flannel(d);
        assert_int_equal(d->kind, AVC_DENIAL);
        assert_null(d->op);
        assert_int_equal(d->time_source, AVC_TIME_AUDIT);
        assert_int_equal(d->time_ms, 1700000010100);
        assert_int_equal(d->stamp_ms, 1700000010100);
        assert_int_equal(d->serial, 201);
        assert_false(d->interpreted);
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
                "type=USER_AVC msg=audit(1.000:2): pid=1 msg='avc:  received policyload notice (seqno=2)  exe=x'\n"
                "$ grep \"avc:  denied\" /var/log/audit/audit.log\n"
                "$ grep SELINUX_ERR /var/log/audit/audit.log; ausearch -m SELINUX_ERR,USER_SELINUX_ERR\n"
                "see avc: deniedness, avc:  denied: nothing, avc:denied, XSELINUX_ERR op=x, type=14011 op=x\n"
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

/* avc_parse_stream through a parser that collects. */
static int stream(const char *in, size_t len, bool keep, struct avc_list *l, size_t *skipped) {
        FILE *f = fmemopen((void *)in, len, "r");
        struct avc_parser p;

        assert_non_null(f);
        avc_parser_init(&p, avc_list_collect, l, keep);
        int r = avc_parse_stream(&p, f, skipped);
        avc_parser_free(&p);
        fclose(f);
        return r;
}

static void test_stream(void **state) {
        static const char in[] = AUDITLOG "\r\n\0\n" AUDITLOG;
        struct avc_list l = {0};
        size_t skipped = 99;

        assert_int_equal(stream(in, sizeof(in) - 1, true, &l, &skipped), 0);
        assert_int_equal(skipped, 0);
        assert_int_equal(l.n, 2);
        assert_record(&l.items[0], AUDITLOG);
        assert_record(&l.items[1], AUDITLOG);
        avc_list_free(&l);

        assert_int_equal(stream(in, sizeof(in) - 1, false, &l, &skipped), 0);
        assert_int_equal(l.n, 2);
        assert_null(l.items[1].record);
        assert_int_equal(l.items[1].record_len, 0);
        assert_flannel(&l.items[1]);
        avc_list_free(&l);

        FILE *f = fopen("/", "re");
        struct avc_parser p;
        assert_non_null(f);
        avc_parser_init(&p, avc_list_collect, &l, true);
        assert_int_equal(avc_parse_stream(&p, f, &skipped), -EISDIR);
        avc_parser_free(&p);
        fclose(f);
        assert_int_equal(l.n, 0);
        avc_list_free(&l);
}

/* A line longer than AVC_LINE_MAX is skipped and counted, never held; one of exactly
 * AVC_LINE_MAX bytes is read, even across the stream's reads. */
static void test_stream_line_bound(void **state) {
        size_t n = 3 * AVC_LINE_MAX + 4 * 256 * 1024;
        _cleanup_free_ char *in = malloc(n + 1);
        struct avc_list l = {0};
        size_t skipped = 0, len = 0;

        assert_non_null(in);
        /* a line one byte too long, with a record at its end */
        memset(in, 'x', AVC_LINE_MAX + 1 - strlen(AUDITLOG));
        len = AVC_LINE_MAX + 1 - strlen(AUDITLOG);
        memcpy(in + len, AUDITLOG, strlen(AUDITLOG));
        len += strlen(AUDITLOG);
        in[len++] = '\n';
        /* a line of exactly the bound, the record at its end */
        memset(in + len, 'y', AVC_LINE_MAX - strlen(AUDITLOG));
        len += AVC_LINE_MAX - strlen(AUDITLOG);
        memcpy(in + len, AUDITLOG, strlen(AUDITLOG));
        len += strlen(AUDITLOG);
        in[len++] = '\n';
        /* a short line, then a huge one across several reads, with no line feed at the end */
        memcpy(in + len, AUDITLOG "\n", strlen(AUDITLOG) + 1);
        len += strlen(AUDITLOG) + 1;
        memset(in + len, 'z', n - len - strlen(AUDITLOG));
        memcpy(in + n - strlen(AUDITLOG), AUDITLOG, strlen(AUDITLOG));

        assert_int_equal(stream(in, n, true, &l, &skipped), 0);
        assert_int_equal(skipped, 2);
        assert_int_equal(l.n, 2);
        assert_int_equal(l.items[0].record_len, AVC_LINE_MAX);
        assert_record(&l.items[1], AUDITLOG);
        avc_list_free(&l);

        /* the last line, without a line feed and within the bound, is read */
        assert_int_equal(stream(AUDITLOG, strlen(AUDITLOG), true, &l, &skipped), 0);
        assert_int_equal(skipped, 0);
        assert_int_equal(l.n, 1);
        avc_list_free(&l);
}

/* SELinux errors in every form the kernel and the tools write them. */
static void test_selinux_err(void **state) {
        struct avc_list l = parse(
                /* the kernel since 4.x: op=, invalid_context quoted as untrusted */
                "type=SELINUX_ERR msg=audit(1700000040.000:250): op=security_compute_sid "
                "invalid_context=\"system_u:system_r:container_t:s0\" scontext=system_u:system_r:init_t:s0 "
                "tcontext=system_u:object_r:bin_t:s0 tclass=process\n"
                /* the old form, as audit2allow reads it */
                "type=SELINUX_ERR msg=audit(1163774199.777:11573): security_compute_sid:  invalid context "
                "staff_u:staff_r:staff_userhelper_t:s0 for scontext=staff_u:staff_r:staff_t:s0 "
                "tcontext=system_u:object_r:userhelper_exec_t:s0 tclass=process\n"
                /* console: the type by number; hex-encoded context */
                "[    9.1] audit: type=1401 audit(1700000041.500:251): op=security_compute_sid "
                "invalid_context=73797374656D5F753A73797374656D5F723A785F743A7330 scontext=u:r:init_t:s0 "
                "tcontext=u:object_r:x_exec_t:s0 tclass=process\n"
                /* journal short: the audit socket's copy, type name first, no stamp */
                "Nov 14 22:13:32 node1 audit: SELINUX_ERR op=security_bounded_transition seresult=denied "
                "oldcontext=system_u:system_r:init_t:s0 newcontext=system_u:system_r:unconfined_t:s0\n"
                /* a constraint on a transition */
                "type=SELINUX_ERR msg=audit(1700000043.000:253): op=security_validate_transition seresult=denied "
                "oldcontext=u:object_r:etc_t:s0 newcontext=u:object_r:shadow_t:s0 taskcontext=u:r:sshd_t:s0 "
                "tclass=file\n"
                /* type bounds */
                "type=SELINUX_ERR msg=audit(1700000044.000:254): op=security_compute_av reason=bounds "
                "scontext=u:r:httpd_t:s0 tcontext=u:object_r:user_home_t:s0 tclass=file perms=read,write\n"
                /* from userspace: the fields inside msg='...' */
                "type=USER_SELINUX_ERR msg=audit(1700000045.000:255): pid=1 uid=0 auid=4294967295 "
                "msg='op=security_compute_sid invalid_context=\"u:r:y_t:s0\" scontext=u:r:init_t:s0 "
                "tcontext=u:object_r:y_exec_t:s0 tclass=process exe=\"/usr/lib/systemd/systemd\"'\n",
                7);
        const struct avc_record *d = &l.items[0];

        assert_int_equal(d->kind, AVC_ERROR);
        assert_string_equal(d->op, "security_compute_sid");
        assert_string_equal(d->detail, "system_u:system_r:container_t:s0");
        assert_string_equal(d->stype, "init_t");
        assert_string_equal(d->ttype, "bin_t");
        assert_string_equal(d->tclass, "process");
        assert_int_equal(d->time_ms, 1700000040000);
        assert_int_equal(d->serial, 250);
        assert_int_equal(d->n_perms, 0);
        d = &l.items[1];
        assert_string_equal(d->op, "security_compute_sid");
        assert_string_equal(d->detail, "staff_u:staff_r:staff_userhelper_t:s0");
        assert_string_equal(d->stype, "staff_t");
        assert_string_equal(d->ttype, "userhelper_exec_t");
        assert_int_equal(d->serial, 11573);
        d = &l.items[2];
        assert_string_equal(d->detail, "system_u:system_r:x_t:s0");
        assert_string_equal(d->ttype, "x_exec_t");
        assert_int_equal(d->time_ms, 1700000041500);
        d = &l.items[3];
        assert_string_equal(d->op, "security_bounded_transition");
        assert_string_equal(d->stype, "init_t");
        assert_string_equal(d->ttype, "unconfined_t");
        assert_string_equal(d->tclass, "?");
        assert_string_equal(d->detail, "system_u:system_r:unconfined_t:s0");
        assert_int_equal(d->time_source, AVC_TIME_NONE);
        assert_int_equal(d->serial, 0);
        d = &l.items[4];
        assert_string_equal(d->op, "security_validate_transition");
        assert_string_equal(d->stype, "sshd_t");
        assert_string_equal(d->ttype, "etc_t");
        assert_string_equal(d->tclass, "file");
        assert_string_equal(d->detail, "u:object_r:shadow_t:s0");
        d = &l.items[5];
        assert_string_equal(d->op, "security_compute_av");
        assert_string_equal(d->detail, "perms=read,write");
        assert_string_equal(d->stype, "httpd_t");
        d = &l.items[6];
        assert_string_equal(d->op, "security_compute_sid");
        assert_string_equal(d->detail, "u:r:y_t:s0");
        assert_string_equal(d->ttype, "y_exec_t");
        assert_int_equal(d->serial, 255);
        avc_list_free(&l);
}

/* An error and a denial on one line, either way round, keep to their own fields. */
static void test_selinux_err_glued(void **state) {
        struct avc_list l = parse(
                "Nov 14 node1 audit: SELINUX_ERR op=security_compute_sid invalid_context=\"u:r:a_t:s0\" "
                "scontext=u:r:init_t:s0 tcontext=u:object_r:a_exec_t:s0 tclass=process "
                "Nov 14 node1 audit[2]: AVC avc:  denied  { read } for comm=\"x\" scontext=u:r:b_t:s0 "
                "tcontext=u:object_r:c_t:s0 tclass=file permissive=1type=SELINUX_ERR msg=audit(1.500:9): "
                "op=security_compute_sid invalid_context=\"u:r:d_t:s0\" scontext=u:r:e_t:s0 "
                "tcontext=u:object_r:f_t:s0 tclass=process\n",
                3);

        assert_int_equal(l.items[0].kind, AVC_ERROR);
        assert_string_equal(l.items[0].stype, "init_t");
        assert_string_equal(l.items[0].detail, "u:r:a_t:s0");
        assert_int_equal(l.items[1].kind, AVC_DENIAL);
        assert_string_equal(l.items[1].stype, "b_t");
        assert_string_equal(l.items[1].tclass, "file");
        assert_int_equal(l.items[1].permissive, 1);
        assert_int_equal(l.items[2].kind, AVC_ERROR);
        assert_string_equal(l.items[2].stype, "e_t");
        assert_int_equal(l.items[2].serial, 9);
        avc_list_free(&l);
}

/* Records glued with no line feed between them: the header of the next is not a value of the
 * last field. */
static void test_glued(void **state) {
        struct avc_list l = parse(
                "type=AVC msg=audit(1.000:1): avc:  denied  { read } for comm=\"a\" scontext=u:r:a_t:s0 "
                "tcontext=u:object_r:b_t:s0 tclass=dirtype=AVC msg=audit(2.000:2): avc:  denied  { write } for "
                "comm=\"b\" scontext=u:r:a_t:s0 tcontext=u:object_r:b_t:s0 tclass=file permissive=1type=SYSCALL "
                "msg=audit(2.000:2): arch=c000003e syscall=2 comm=\"c\"\n",
                2);

        assert_string_equal(l.items[0].tclass, "dir");
        assert_record(&l.items[0], "type=AVC msg=audit(1.000:1): avc:  denied  { read } for comm=\"a\" "
                                   "scontext=u:r:a_t:s0 tcontext=u:object_r:b_t:s0 tclass=dir");
        assert_string_equal(l.items[1].tclass, "file");
        assert_int_equal(l.items[1].permissive, 1);
        assert_string_equal(l.items[1].comm, "b");
        assert_int_equal(l.items[1].serial, 2);
        avc_list_free(&l);
}

/* ausearch -i: dates in the local time zone, every value decoded and unquoted. */
static void test_ausearch_interpreted(void **state) {
        setenv("TZ", "UTC", 1);
        tzset();
        struct avc_list l = parse(
                "----\n"
                "type=PROCTITLE msg=audit(11/14/23 22:13:30.100:201) : proctitle=cp -r /a /b\n"
                "type=AVC msg=audit(11/14/23 22:13:30.100:201) : avc:  denied  { write } for  pid=2345 comm=dd "
                "name=net.d scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\n"
                "type=AVC msg=audit(11/14/2023 22:13:31.250:202) : avc:  denied  { read } for  pid=1 comm=cafe "
                "scontext=u:r:container_t:s0 tcontext=u:object_r:etc_t:s0 tclass=file permissive=0\n"
                "type=AVC msg=audit(2023-11-14 22:13:32.5:203) : avc:  denied  { read } for  pid=1 comm=cni install "
                "name=flannel scontext=u:r:container_t:s0 tcontext=u:object_r:var_run_t:s0 tclass=dir\n"
                "type=AVC msg=audit(14.11.2023 22:13:33.000:204) : avc:  denied  { read } for  pid=1 comm=in:imfile "
                "name=var scontext=u:r:syslogd_t:s0 tcontext=u:object_r:var_t:s0 tclass=dir\n"
                "type=USER_AVC msg=audit(11/14/23 22:13:34.000:205) : pid=1 uid=root auid=unset msg='avc:  denied  "
                "{ status } for auid=root uid=root cmdline=\"/usr/bin/systemctl is-active docker\" "
                "scontext=u:r:container_t:s0 tcontext=u:r:init_t:s0 tclass=system permissive=1  "
                "exe=/usr/lib/systemd/systemd sauid=root hostname=? addr=? terminal=?'\n"
                "type=SELINUX_ERR msg=audit(11/14/23 22:13:35.000:206) : op=security_compute_sid "
                "invalid_context=system_u:system_r:container_t:s0 scontext=u:r:init_t:s0 "
                "tcontext=u:object_r:bin_t:s0 tclass=process\n"
                /* raw: hex stays hex-decoded */
                "type=AVC msg=audit(1700000016.000:207): avc:  denied  { read } for  pid=1 comm=6361666500 "
                "tclass=file\n",
                7);

        assert_int_equal(l.items[0].time_ms, 1700000010100);
        assert_int_equal(l.items[0].serial, 201);
        assert_true(l.items[0].interpreted);
        assert_string_equal(l.items[0].comm, "dd");
        assert_int_equal(l.items[1].time_ms, 1700000011250);
        assert_string_equal(l.items[1].comm, "cafe");
        assert_int_equal(l.items[1].permissive, 0);
        assert_int_equal(l.items[2].time_ms, 1700000012500);
        assert_string_equal(l.items[2].comm, "cni install");
        assert_string_equal(l.items[2].ttype, "var_run_t");
        assert_int_equal(l.items[3].time_ms, 1700000013000);
        assert_string_equal(l.items[3].comm, "in:imfile");
        assert_string_equal(l.items[4].stype, "container_t");
        assert_string_equal(l.items[4].tclass, "system");
        assert_int_equal(l.items[4].time_ms, 1700000014000);
        assert_int_equal(l.items[5].kind, AVC_ERROR);
        assert_string_equal(l.items[5].detail, "system_u:system_r:container_t:s0");
        assert_int_equal(l.items[5].time_ms, 1700000015000);
        assert_true(l.items[5].interpreted);
        assert_false(l.items[6].interpreted);
        assert_string_equal(l.items[6].comm, "cafe\\x00");
        avc_list_free(&l);

        /* the local time zone is the one ausearch wrote in */
        setenv("TZ", "UTC-2", 1);
        tzset();
        l = parse("type=AVC msg=audit(11/14/23 22:13:30.100:201) : avc:  denied  { write } for comm=dd\n", 1);
        assert_int_equal(l.items[0].time_ms, 1700000010100 - 2 * 3600 * 1000);
        avc_list_free(&l);
        setenv("TZ", "UTC", 1);
        tzset();
}

/* journalctl -o short-iso, short-iso-precise, short-unix, short-full: the line's time for
 * records without a stamp. */
static void test_short_iso(void **state) {
        struct avc_list l = parse(
                "2023-11-14T22:13:30+0000 node1 audit[2345]: AVC " BODY "\n"
                "2023-11-14T23:13:31.250123+01:00 node1 audit[2345]: AVC " BODY "\n"
                "2023-11-14T22:13:32Z node1 kernel: audit: type=1400 audit(1700000000.123:456): " BODY "\n"
                "2023-11-14T22:13:33 node1 audit[2345]: AVC " BODY "\n",
                4);

        assert_int_equal(l.items[0].time_source, AVC_TIME_LINE);
        assert_int_equal(l.items[0].time_ms, 1700000010000);
        assert_int_equal(l.items[0].serial, 0);
        assert_int_equal(l.items[1].time_ms, 1700000011250);
        assert_int_equal(l.items[2].time_source, AVC_TIME_AUDIT); /* its own stamp wins */
        assert_int_equal(l.items[2].time_ms, 1700000000123);
        assert_int_equal(l.items[3].time_source, AVC_TIME_NONE); /* no zone: not short-iso */
        avc_list_free(&l);

        /* short-unix; short-full (and with-unit) in UTC or the local zone, by its abbreviation */
        setenv("TZ", "CET-1CEST", 1);
        tzset();
        l = parse("1700000014.250000 node1 audit[2345]: AVC " BODY "\n"
                  "Tue 2023-11-14 22:13:35 UTC node1 audit[2345]: AVC " BODY "\n"
                  "Tue 2023-11-14 23:13:36 CET node1 audit[2345]: AVC " BODY "\n"
                  "Tue 2023-11-14 23:13:37 PST node1 audit[2345]: AVC " BODY "\n"
                  "17000000.5 node1 audit[2345]: AVC " BODY "\n",
                  5);
        assert_int_equal(l.items[0].time_source, AVC_TIME_LINE);
        assert_int_equal(l.items[0].time_ms, 1700000014250);
        assert_int_equal(l.items[1].time_ms, 1700000015000);
        assert_int_equal(l.items[2].time_ms, 1700000016000);
        assert_int_equal(l.items[3].time_source, AVC_TIME_NONE); /* another zone than the local one */
        assert_int_equal(l.items[4].time_source, AVC_TIME_NONE); /* too few digits for a Unix time */
        avc_list_free(&l);
        setenv("TZ", "UTC", 1);
        tzset();
}

/* journalctl -o verbose: a header line with t=, the fields indented. */
static void test_journal_verbose(void **state) {
        struct avc_list l = parse(
                "Tue 2023-11-14 22:13:30.100123 UTC [s=2b6b;i=1a2;b=8f1c;m=bc614e;t=60a2b7d7bc9c8;x=5d0c]\n"
                "    _TRANSPORT=audit\n"
                "    MESSAGE=AVC " BODY "\n"
                "    _AUDIT_ID=201\n"
                "    _SOURCE_REALTIME_TIMESTAMP=1700000010099000\n"
                "Tue 2023-11-14 22:13:40.260456 UTC [s=2b6b;i=1a3;b=8f1c;m=bc7000;t=60a2b7d8565e8;x=5d0d]\n"
                "    MESSAGE=AVC " BODY "\n",
                2);

        assert_int_equal(l.items[0].time_source, AVC_TIME_JOURNAL);
        assert_int_equal(l.items[0].time_ms, 1700000010099);
        assert_int_equal(l.items[0].stamp_ms, 1700000010099);
        assert_int_equal(l.items[0].serial, 201);
        assert_int_equal(l.items[1].time_ms, 0x60a2b7d8565e8 / 1000);
        assert_int_equal(l.items[1].serial, 0);
        assert_int_equal(l.items[1].stamp_ms, -1);
        avc_list_free(&l);
}

/* journalctl -o json and json-seq: the entry's fields, MESSAGE as text or as bytes. */
static void test_journal_json(void **state) {
        static const char in[] =
                "{\"__REALTIME_TIMESTAMP\":\"1700000010100123\",\"_TRANSPORT\":\"audit\",\"_AUDIT_ID\":\"201\","
                "\"MESSAGE\":\"AVC avc:  denied  { write } for  pid=1 comm=\\\"sh\\\" scontext=u:r:container_t:s0 "
                "tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1\",\"_SOURCE_REALTIME_TIMESTAMP\":\"1700000010099000\"}\n"
                /* MESSAGE as a byte array: "AVC avc:  denied  { read } for comm=\"\xff\" tclass=file" */
                "{\"MESSAGE\":[65,86,67,32,97,118,99,58,32,32,100,101,110,105,101,100,32,32,123,32,114,101,97,100,32,"
                "125,32,102,111,114,32,99,111,109,109,61,34,255,34,32,116,99,108,97,115,115,61,102,105,108,101],"
                "\"__REALTIME_TIMESTAMP\":\"1700000020000000\"}\n"
                /* the field twice: an array of values */
                "\x1e{\"MESSAGE\":[\"avc:  denied  { a } for tclass=x\",\"avc:  denied  { b } for tclass=y\"]}\n"
                /* not whole JSON: read as text */
                "{\"MESSAGE\":\"avc:  denied  { c } for tclass=z\n"
                "{\"MESSAGE\":null}\n";
        struct avc_list l = parse_n(in, sizeof(in) - 1, 5);

        assert_string_equal(l.items[0].comm, "sh");
        assert_int_equal(l.items[0].time_source, AVC_TIME_JOURNAL);
        assert_int_equal(l.items[0].time_ms, 1700000010099);
        assert_int_equal(l.items[0].serial, 201);
        assert_record(&l.items[0], "AVC avc:  denied  { write } for  pid=1 comm=\"sh\" scontext=u:r:container_t:s0 "
                                   "tcontext=u:object_r:etc_t:s0 tclass=dir permissive=1");
        assert_perms(&l.items[1], "read");
        assert_string_equal(l.items[1].comm, "\\xff");
        assert_string_equal(l.items[1].tclass, "file");
        assert_int_equal(l.items[1].time_ms, 1700000020000);
        assert_int_equal(l.items[1].serial, 0);
        assert_string_equal(l.items[2].tclass, "x");
        assert_string_equal(l.items[3].tclass, "y");
        assert_perms(&l.items[4], "c");
        avc_list_free(&l);
}

/* journalctl -o json-pretty: an entry over several lines, braces on lines of their own. */
static void test_journal_json_pretty(void **state) {
        struct avc_list l = parse("{\n"
                                  "\t\"__REALTIME_TIMESTAMP\" : \"1700000010100123\",\n"
                                  "\t\"MESSAGE\" : \"AVC avc:  denied  { write } for comm=\\\"sh\\\" tclass=dir\",\n"
                                  "\t\"_AUDIT_ID\" : \"201\",\n"
                                  "\t\"_SOURCE_REALTIME_TIMESTAMP\" : \"1700000010099000\"\n"
                                  "}\n",
                                  1);

        assert_string_equal(l.items[0].comm, "sh");
        assert_string_equal(l.items[0].tclass, "dir");
        assert_int_equal(l.items[0].time_ms, 1700000010099);
        assert_int_equal(l.items[0].serial, 201);
        avc_list_free(&l);
}

/* The kmsg copy and the audit socket's copy of one record, in every journal form, have the
 * same stamp, serial and body hash; another record has another hash. */
static void test_copies(void **state) {
        struct avc_list l = parse(
                "Nov 14 22:13:30 node1 kernel: audit: type=1400 audit(1700000010.100:201): " BODY "\n"
                "Nov 14 22:13:30 node1 audit[2345]: AVC " BODY "\n"
                "__CURSOR=s=1\n"
                "_AUDIT_ID=201\n"
                "MESSAGE=AVC " BODY "\n"
                "_SOURCE_REALTIME_TIMESTAMP=1700000010100000\n"
                "\n"
                "{\"MESSAGE\":\"audit: type=1400 audit(1700000010.100:201): avc:  denied  { write } for  pid=2345 "
                "comm=\\\"cp\\\" name=\\\"net.d\\\" dev=\\\"vda9\\\" ino=131090 " SCON " " TCON " tclass=dir "
                "permissive=1\"}\n"
                "type=AVC msg=audit(1700000010.100:201): avc:  denied  { write } for  pid=2346 comm=\"cp\" "
                "name=\"net.d\" dev=\"vda9\" ino=131090 " SCON " " TCON " tclass=dir permissive=1\n"
                "type=SELINUX_ERR msg=audit(1700000040.000:250): op=security_compute_sid "
                "invalid_context=\"u:r:c_t:s0\" scontext=u:r:init_t:s0 tcontext=u:object_r:bin_t:s0 tclass=process\n"
                "Nov 14 22:14:00 node1 audit: SELINUX_ERR op=security_compute_sid invalid_context=\"u:r:c_t:s0\" "
                "scontext=u:r:init_t:s0  tcontext=u:object_r:bin_t:s0 tclass=process\n",
                7);

        for (size_t i = 1; i < 4; i++) {
                assert_true(l.items[i].body_hash == l.items[0].body_hash);
                assert_flannel(&l.items[i]);
        }
        assert_int_equal(l.items[2].serial, 201);
        assert_int_equal(l.items[2].stamp_ms, 1700000010100);
        assert_int_equal(l.items[3].serial, 201);
        assert_int_equal(l.items[3].stamp_ms, 1700000010100);
        assert_false(l.items[4].body_hash == l.items[0].body_hash); /* another pid */
        assert_true(l.items[5].body_hash == l.items[6].body_hash);
        assert_false(l.items[5].body_hash == l.items[0].body_hash);
        avc_list_free(&l);
}

/* The entry's records are held until it ends, and no more than a bound of them. */
static void test_entry_bound(void **state) {
        size_t n = 4000;
        size_t line = strlen("MESSAGE=AVC " BODY "\n");
        _cleanup_free_ char *in = malloc(strlen("__CURSOR=x\n") + n * line + 64);
        char *o = in;

        assert_non_null(in);
        o = stpcpy(o, "__CURSOR=x\n");
        for (size_t i = 0; i < n; i++)
                o = stpcpy(o, "MESSAGE=AVC " BODY "\n");
        o = stpcpy(o, "_AUDIT_ID=7\n");
        struct avc_list l = parse(in, n);
        /* the first were handed over before the entry ended, the last with its serial */
        assert_int_equal(l.items[0].serial, 0);
        assert_int_equal(l.items[n - 1].serial, 7);
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
        setenv("TZ", "UTC", 1);
        tzset();
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
                cmocka_unit_test(test_stream_line_bound),
                cmocka_unit_test(test_selinux_err),
                cmocka_unit_test(test_selinux_err_glued),
                cmocka_unit_test(test_glued),
                cmocka_unit_test(test_ausearch_interpreted),
                cmocka_unit_test(test_short_iso),
                cmocka_unit_test(test_journal_verbose),
                cmocka_unit_test(test_journal_json),
                cmocka_unit_test(test_journal_json_pretty),
                cmocka_unit_test(test_copies),
                cmocka_unit_test(test_entry_bound),
                cmocka_unit_test(test_context_type),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
