/*
 * Unit tests of lib/xp-run.c, on real programs of the build host (sh,
 * cat, sleep, true, false).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "xp-run.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_exit_status(void **state)
{
    struct xp_cmd ok = {.argv = ARGV("true")}, bad = {.argv = ARGV("false")};
    char why[64];

    (void)state;
    assert_true(xp_status_ok(xp_cmd_run(&ok)));
    int st = xp_cmd_run(&bad);
    assert_false(xp_status_ok(st));
    xp_status_str(st, why, sizeof(why));
    assert_string_equal(why, "exit status 1");
}

static void test_no_such_program(void **state)
{
    struct xp_cmd c = {.argv = ARGV("xp-no-such-program-here")};
    char why[64];

    (void)state;
    int st = xp_cmd_run(&c);
    assert_int_equal(st, -ENOENT);
    xp_status_str(st, why, sizeof(why));
    assert_string_equal(why, strerror(ENOENT));
    assert_int_equal(xp_cmd_start(&c), -ENOENT);
}

static void test_capture_and_input(void **state)
{
    char out[64];
    struct xp_cmd c = {.argv = ARGV("cat"),
                       .input = "the secret\n",
                       .capture = out,
                       .capture_len = sizeof(out)};

    (void)state;
    assert_true(xp_status_ok(xp_cmd_run(&c)));
    assert_string_equal(out, "the secret\n");
}

static void test_capture_truncates(void **state)
{
    char out[8];
    struct xp_cmd c = {.argv = ARGV("sh", "-c", "printf 0123456789abcdef"),
                       .capture = out,
                       .capture_len = sizeof(out)};

    (void)state;
    assert_true(xp_status_ok(xp_cmd_run(&c)));
    assert_string_equal(out, "0123456");
}

static void test_env_and_out_path(void **state)
{
    char path[] = "/tmp/xp-run-test.XXXXXX", buf[64] = "";
    int fd = mkstemp(path);
    struct xp_cmd c = {.argv = ARGV("sh", "-c", "echo $XP_ONE; echo err >&2"),
                       .env = ARGV("XP_ONE=one"),
                       .out_path = path,
                       .err = XP_RUN_TO_OUT};

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_true(xp_status_ok(xp_cmd_run(&c)));
    fd = open(path, O_RDONLY);
    assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
    close(fd);
    unlink(path);
    assert_string_equal(buf, "one\nerr\n");
    assert_null(getenv("XP_ONE"));
}

static void test_timeout_kills_the_group(void **state)
{
    struct xp_cmd c = {.argv = ARGV("sh", "-c", "sleep 30 & sleep 30"),
                       .timeout_ms = 300,
                       .own_group = 1};
    struct timespec t0, t1;

    (void)state;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(xp_cmd_run(&c), -ETIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
}

static void test_defaults_read_and_write_nothing(void **state)
{
    /* Left at zero, stdin is /dev/null: cat ends at once. */
    struct xp_cmd c = {.argv = ARGV("cat"), .timeout_ms = 5000};

    (void)state;
    assert_true(xp_status_ok(xp_cmd_run(&c)));
}

static int refuse(void *arg)
{
    (void)arg;
    errno = EPERM;
    return -1;
}

static void test_child_setup(void **state)
{
    struct xp_cmd c = {.argv = ARGV("true"), .child_setup = refuse};

    (void)state;
    assert_int_equal(xp_cmd_run(&c), -EPERM);
}

static void test_cmd_str_hides_secrets(void **state)
{
    struct xp_cmd c = {.argv = ARGV("chpasswd", "--root", "/target", "-e"),
                       .input = "root:$y$hash"};
    struct xp_cmd s = {.argv = ARGV("tool", "--key", "K3Y"),
                       .secret_args = 1u << 2};
    char buf[128];

    (void)state;
    xp_cmd_str(&c, buf, sizeof(buf));
    assert_string_equal(buf, "chpasswd --root /target -e < (input not logged)");
    xp_cmd_str(&s, buf, sizeof(buf));
    assert_string_equal(buf, "tool --key <secret>");
    assert_null(strstr(buf, "K3Y"));
}

static void test_start_and_wait(void **state)
{
    int p[2], st;
    char buf[16] = "";
    struct xp_cmd c = {.argv = ARGV("echo", "hello")};
    pid_t pid;

    (void)state;
    assert_int_equal(pipe(p), 0);
    c.out = p[1];
    pid = xp_cmd_start(&c);
    assert_true(pid > 0);
    close(p[1]);
    assert_true(read(p[0], buf, sizeof(buf) - 1) > 0);
    close(p[0]);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(xp_status_ok(st));
    assert_string_equal(buf, "hello\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_no_such_program),
        cmocka_unit_test(test_capture_and_input),
        cmocka_unit_test(test_capture_truncates),
        cmocka_unit_test(test_env_and_out_path),
        cmocka_unit_test(test_timeout_kills_the_group),
        cmocka_unit_test(test_defaults_read_and_write_nothing),
        cmocka_unit_test(test_child_setup),
        cmocka_unit_test(test_cmd_str_hides_secrets),
        cmocka_unit_test(test_start_and_wait),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
