/* SPDX-License-Identifier: MIT */
/* rusage OUT [-l LOG] CMD [ARG]...
 * Runs CMD and appends one line to OUT:
 *   WALL_S USER_S SYS_S MAXRSS_KB EXIT
 * WALL_S from CLOCK_MONOTONIC around fork..wait4 (ns resolution; /usr/bin/time
 * prints 10 ms), the rest from wait4's rusage: MAXRSS_KB is the peak resident
 * set of the largest process in CMD's tree (as `/usr/bin/time -f %M`).
 * With -l, CMD's standard error goes through a pipe and every line is written
 * to LOG prefixed with the seconds since the fork at which it arrived, to time
 * the steps `ignition-selinux apply` announces. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double since(const struct timespec *t0) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
        const char *out, *logpath = NULL;
        FILE *log = NULL, *in = NULL;
        struct timespec t0;
        struct rusage ru;
        int pfd[2] = {-1, -1}, status, i = 2;
        pid_t pid;

        if (argc < 3)
                goto usage;
        out = argv[1];
        if (strcmp(argv[i], "-l") == 0) {
                if (argc < 5)
                        goto usage;
                logpath = argv[i + 1];
                i += 2;
                if (!(log = fopen(logpath, "w")) || pipe(pfd) < 0) {
                        perror(logpath);
                        return 125;
                }
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid = fork();
        if (pid < 0) {
                perror("fork");
                return 125;
        }
        if (pid == 0) {
                if (log) {
                        dup2(pfd[1], STDERR_FILENO);
                        close(pfd[0]);
                        close(pfd[1]);
                }
                execvp(argv[i], argv + i);
                perror(argv[i]);
                _exit(127);
        }
        if (log) {
                char *line = NULL;
                size_t n = 0;
                close(pfd[1]);
                in = fdopen(pfd[0], "r");
                while (in && getline(&line, &n, in) > 0)
                        fprintf(log, "%.6f %s", since(&t0), line);
                free(line);
        }
        while (wait4(pid, &status, 0, &ru) < 0)
                if (errno != EINTR) {
                        perror("wait4");
                        return 125;
                }
        double wall = since(&t0);
        if (in)
                fclose(in);
        if (log)
                fclose(log);
        FILE *o = fopen(out, "a");
        if (!o) {
                perror(out);
                return 125;
        }
        fprintf(o, "%.6f %.6f %.6f %ld %d\n", wall,
                (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
                (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss,
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        fclose(o);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
usage:
        fprintf(stderr, "usage: rusage OUT [-l LOG] CMD [ARG]...\n");
        return 125;
}
