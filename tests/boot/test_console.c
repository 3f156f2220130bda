/*
 * Unit tests of the console matcher and the command framing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"

static void feed(struct console *c, const char *s)
{
    assert_int_equal(console_feed(c, s, strlen(s)), 0);
}

static void marker_split_across_reads(void **state)
{
    struct console c;

    (void)state;
    console_init(&c, 0);
    feed(&c, "booting... Xen vers");
    assert_int_equal(console_expect(&c, "Xen version 4.20"), 0);
    feed(&c, "ion 4.");
    assert_int_equal(console_expect(&c, "Xen version 4.20"), 0);
    feed(&c, "20.4 (Debian)\r\n");
    assert_int_equal(console_expect(&c, "Xen version 4.20"), 1);
    console_free(&c);
}

static void marker_twice_matches_twice(void **state)
{
    struct console c;

    (void)state;
    console_init(&c, 0);
    feed(&c, "login: ok\nlogin: ok\n");
    assert_int_equal(console_expect(&c, "login: ok"), 1);
    assert_int_equal(console_expect(&c, "login: ok"), 1);
    assert_int_equal(console_expect(&c, "login: ok"), 0);
    console_free(&c);
}

static void marker_before_match_is_consumed(void **state)
{
    struct console c;

    (void)state;
    console_init(&c, 0);
    feed(&c, "A B A");
    assert_int_equal(console_expect(&c, "B"), 1);
    /* The first A came before B: only the later one is left. */
    assert_int_equal(console_expect(&c, "A"), 1);
    assert_int_equal(console_expect(&c, "A"), 0);
    console_free(&c);
}

static void limit_keeps_the_latest_bytes(void **state)
{
    struct console c;
    char junk[1000];

    (void)state;
    memset(junk, 'x', sizeof(junk));
    console_init(&c, 64);
    assert_int_equal(console_feed(&c, junk, sizeof(junk)), 0);
    assert_true(c.len <= 64);
    feed(&c, "ready");
    assert_int_equal(console_expect(&c, "ready"), 1);
    console_free(&c);
}

static void nul_bytes_do_not_hide_text(void **state)
{
    struct console c;

    (void)state;
    console_init(&c, 0);
    assert_int_equal(console_feed(&c, "a\0\0Kernel panic", 15), 0);
    assert_int_equal(console_expect(&c, "Kernel panic"), 1);
    console_free(&c);
}

static void fail_pattern_found_in_tail(void **state)
{
    static const char *const pats[] = {"Kernel panic", "segfault at", NULL};
    struct console c;
    const char *hit;

    (void)state;
    console_init(&c, 0);
    feed(&c, "all fine\n");
    assert_null(console_find_any(&c, pats, 0));
    feed(&c, "xl[123]: segf");
    assert_null(console_find_any(&c, pats, 0));
    feed(&c, "ault at 0 ip 0\n");
    hit = console_find_any(&c, pats, 15 + 12);
    assert_non_null(hit);
    assert_string_equal(hit, "segfault at");
    console_free(&c);
}

static void line_of_a_pattern(void **state)
{
    struct console c;
    char line[128];

    (void)state;
    console_init(&c, 0);
    feed(&c, "one\r\n(XEN) parameter \"foo\" unknown!\r\nthree\n");
    assert_int_equal(console_line_of(&c, "unknown!", line, sizeof(line)), 2);
    assert_string_equal(line, "(XEN) parameter \"foo\" unknown!");
    assert_int_equal(console_line_of(&c, "nowhere", line, sizeof(line)), 0);
    /* A line still arriving: what is there, and that more is to come. */
    feed(&c, "[ 10.5] watchdog: BUG: soft lockup - CPU#0 st");
    assert_int_equal(console_line_of(&c, "soft lockup", line, sizeof(line)), 1);
    assert_string_equal(line, "[ 10.5] watchdog: BUG: soft lockup - CPU#0 st");
    feed(&c, "uck for 22s! [qemu-system-i38:812]\r\n");
    assert_int_equal(console_line_of(&c, "soft lockup", line, sizeof(line)), 2);
    assert_string_equal(line, "[ 10.5] watchdog: BUG: soft lockup - CPU#0 "
                              "stuck for 22s! [qemu-system-i38:812]");
    console_free(&c);
}

static void frame_typed_line_is_not_output(void **state)
{
    struct console c;
    char line[FRAME_MAX];
    char *out = NULL;
    int st = -1;

    (void)state;
    assert_int_equal(frame_command(line, sizeof(line), 7, "xl list"), 0);
    assert_string_equal(line, "echo @@XP''B7@@; xl list; echo @@XP''E7:$?@@\r");
    console_init(&c, 0);
    /* The terminal echoes what was typed: that is no frame. */
    feed(&c,
         "root@xenplay:~# echo @@XP''B7@@; xl list; echo @@XP''E7:$?@@\r\n");
    assert_int_equal(frame_collect(&c, 7, &out, &st), 0);
    feed(&c, "@@XPB7@@\r\nName  ID\r\nDomain-0  0\r\n@@XPE7:0@@\r\n");
    assert_int_equal(frame_collect(&c, 7, &out, &st), 1);
    assert_int_equal(st, 0);
    assert_string_equal(out, "Name  ID\nDomain-0  0\n");
    free(out);
    console_free(&c);
}

static void frame_split_status_waits(void **state)
{
    struct console c;
    char *out = NULL;
    int st = -1;

    (void)state;
    console_init(&c, 0);
    feed(&c, "@@XPB3@@\nno such domain\n@@XPE3:1");
    assert_int_equal(frame_collect(&c, 3, &out, &st), 0);
    feed(&c, "27@@\n");
    assert_int_equal(frame_collect(&c, 3, &out, &st), 1);
    assert_int_equal(st, 127);
    assert_string_equal(out, "no such domain\n");
    free(out);
    console_free(&c);
}

static void frame_of_another_command_is_ignored(void **state)
{
    struct console c;
    char *out = NULL;
    int st = -1;

    (void)state;
    console_init(&c, 0);
    feed(&c, "@@XPB1@@\nold\n@@XPE1:0@@\n");
    assert_int_equal(frame_collect(&c, 2, &out, &st), 0);
    feed(&c, "@@XPB2@@\nnew\n@@XPE2:0@@\n");
    assert_int_equal(frame_collect(&c, 2, &out, &st), 1);
    assert_string_equal(out, "new\n");
    free(out);
    console_free(&c);
}

static void frame_output_loses_colours(void **state)
{
    struct console c;
    char *out = NULL;
    int st = -1;

    (void)state;
    console_init(&c, 0);
    feed(&c, "\033[?2004l@@XPB4@@\r\n4: xenbr0    inet \033[35m10.0.2.15"
             "\033[0m/24\033]0;title\a\r\n@@XPE4:0@@");
    assert_int_equal(frame_collect(&c, 4, &out, &st), 1);
    assert_string_equal(out, "4: xenbr0    inet 10.0.2.15/24\n");
    free(out);
    console_free(&c);
}

static void frame_output_loses_xen_mid_line(void **state)
{
    struct console c;
    char *out = NULL;
    int st = -1;

    (void)state;
    console_init(&c, 0);
    feed(&c, "@@XPB5@@\r\nxp-probe: row boot=pv privileged=hardware"
             "(XEN) [  732.845396] uart interrupt taking more than 4ms, "
             "switched to polling\r\n\r\n(XEN) [  1.0] whole line\r\n"
             "next(XEN) [  2.0] unended@@XPE5:0@@");
    assert_int_equal(frame_collect(&c, 5, &out, &st), 1);
    /* The mid-line message goes, the line that starts with it stays, and
     * one with no end is left as it is. */
    assert_string_equal(out, "xp-probe: row boot=pv privileged=hardware\n"
                             "(XEN) [  1.0] whole line\n"
                             "next(XEN) [  2.0] unended");
    free(out);
    console_free(&c);
}

static void frame_too_long_is_refused(void **state)
{
    char line[32];

    (void)state;
    assert_int_equal(frame_command(line, sizeof(line), 1,
                                   "a command far too long for the buffer"),
                     -ENAMETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(marker_split_across_reads),
        cmocka_unit_test(marker_twice_matches_twice),
        cmocka_unit_test(marker_before_match_is_consumed),
        cmocka_unit_test(limit_keeps_the_latest_bytes),
        cmocka_unit_test(nul_bytes_do_not_hide_text),
        cmocka_unit_test(fail_pattern_found_in_tail),
        cmocka_unit_test(line_of_a_pattern),
        cmocka_unit_test(frame_typed_line_is_not_output),
        cmocka_unit_test(frame_split_status_waits),
        cmocka_unit_test(frame_of_another_command_is_ignored),
        cmocka_unit_test(frame_output_loses_colours),
        cmocka_unit_test(frame_output_loses_xen_mid_line),
        cmocka_unit_test(frame_too_long_is_refused),
    };

    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
