// SPDX-License-Identifier: MIT
/*
 * The scan before json-c parses a config (issue 8, findings 10 and 11):
 * a key given twice in one object is an error naming both places, however
 * it is spelt; configs over the hypervisor's or the driver's size limit
 * are refused at the entry that goes over, before the rest is read.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cmocka.h>

#include <hvctl/config.h>

#define CELL "{ \"type\": \"cell\", \"architecture\": \"arm64\", " \
	     "\"name\": \"rtos\", \"cpu_set\": \"1\""

/* Parse text; returns the status and leaves the message in msg. */
static int parse(const char *text, char *msg, size_t n)
{
	struct hvctl_config *c = NULL;
	struct hvctl_error err = { .msg = "" };
	int ret;

	ret = hvctl_config_parse_json(&c, text, "t.json", &err);
	snprintf(msg, n, "%s", err.msg);
	if (ret)
		assert_null(c);
	hvctl_config_free(c);
	return ret;
}

static void expect(const char *text, int want_ret, const char *want_msg)
{
	char msg[512];
	int ret = parse(text, msg, sizeof(msg));

	if (ret != want_ret || (want_msg && strcmp(msg, want_msg)))
		fail_msg("got %d \"%s\", expected %d \"%s\"\n(for %s)", ret,
			 msg, want_ret, want_msg ? want_msg : "", text);
}

static void dup__top_level(void **state)
{
	(void)state;
	expect(CELL ",\n  \"name\": \"evil\" }", -EINVAL,
	       "t.json:2:3: name: duplicate key \"name\" (first at line 1, column 44); each key may appear once");
}

static void dup__spellings(void **state)
{
	(void)state;
	/* An escape, single quotes, a key cut at \u0000 as json-c cuts it. */
	expect(CELL ", \"na\\u006de\": \"x\" }", -EINVAL,
	       "t.json:1:76: name: duplicate key \"name\" (first at line 1, column 44); each key may appear once");
	expect(CELL ", 'cpu_set': \"1-3\" }", -EINVAL,
	       "t.json:1:76: cpu_set: duplicate key \"cpu_set\" (first at line 1, column 60); each key may appear once");
	expect(CELL ", \"cpu_set\\u0000x\": \"1-3\" }", -EINVAL,
	       "t.json:1:76: cpu_set: duplicate key \"cpu_set\" (first at line 1, column 60); each key may appear once");
}

static void dup__nested_and_paths(void **state)
{
	(void)state;
	expect(CELL ", \"memory_regions\": [ { \"size\": \"4K\" },\n"
	       "{ \"size\": \"4K\", /* c */ \"flags\": [], \"size\": \"1G\" } ] }",
	       -EINVAL,
	       "t.json:2:38: memory_regions[1].size: duplicate key \"size\" (first at line 2, column 3); each key may appear once");
	expect("{ \"type\": \"system\", \"architecture\": \"arm64\",\n"
	       "\"root_cell\": { \"name\": \"root\", \"cpu_set\": \"0-3\",\n"
	       "\"cpu_set\": \"0-7\" } }", -EINVAL,
	       "t.json:3:1: root_cell.cpu_set: duplicate key \"cpu_set\" (first at line 2, column 32); each key may appear once");
}

static void dup__distinct_objects_fine(void **state)
{
	char msg[512];

	(void)state;
	/* The same key in sibling objects, and values equal to keys. */
	assert_int_equal(parse(CELL ", \"memory_regions\": [ { \"size\": \"4K\" },"
			       " { \"size\": \"4K\", \"flags\": [\"read\"] } ],"
			       " \"console\": { \"size\": \"4K\", \"type\": \"pl011\" } }",
			       msg, sizeof(msg)), 0);
}

/* Syntax errors stay json-c's to report. */
static void dup__syntax_left_to_json_c(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(parse(CELL ", \"x\" \"y\" }", msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "JSON syntax error"));
	assert_int_equal(parse(CELL ", ", msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "ends early"));
}

/* A cell of n empty memory regions. */
static char *regions_text(const char *head, size_t n, const char *tail)
{
	size_t cap = strlen(head) + strlen(tail) + n * 4 + 16, len, i;
	char *t = malloc(cap);

	assert_non_null(t);
	len = (size_t)snprintf(t, cap, "%s", head);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len, "%s{}", i ? "," : "");
	snprintf(t + len, cap - len, "%s", tail);
	return t;
}

static void size__cell_limit(void **state)
{
	char *t;

	(void)state;
	/* 132 + 8 + 2043 * 32 = 65516 bytes: fits; one more does not. */
	t = regions_text(CELL ", \"memory_regions\": [", 2043, "] }");
	expect(t, 0, NULL);
	free(t);
	t = regions_text(CELL ", \"memory_regions\": [", 2044, "] }");
	expect(t, -E2BIG, "t.json:1:6224: memory_regions[2043]: entry 2043 makes the config larger than the 65536 bytes the hypervisor takes (16 pages); the binary would be at least 65548 bytes");
	free(t);
	/* Arrays add up: 2000 regions and 44 PCI devices are over too. */
	t = regions_text(CELL ", \"pci_devices\": [{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}],"
			 " \"memory_regions\": [", 2000, "] }");
	expect(t, -E2BIG, NULL);
	free(t);
	/* What the scan cannot see (a big CPU set) the exact size catches. */
	t = regions_text(CELL ", \"cpu_set_size\": 4096, \"memory_regions\": [", 2000, "] }");
	expect(t, -E2BIG, "t.json: the config would be 68228 bytes, more than the hypervisor takes for a cell (16 pages) (65536 bytes)");
	free(t);
}

static void size__system_limit(void **state)
{
	char *t;

	(void)state;
	/* A root cell may be far larger than 16 pages, up to the driver's 1 MiB. */
	t = regions_text("{ \"type\": \"system\", \"architecture\": \"arm64\","
			 " \"root_cell\": { \"name\": \"root\", \"cpu_set\": \"0\","
			 " \"memory_regions\": [", 10000, "] } }");
	expect(t, 0, NULL);
	free(t);
	t = regions_text("{ \"type\": \"system\", \"architecture\": \"arm64\","
			 " \"root_cell\": { \"name\": \"root\", \"cpu_set\": \"0\","
			 " \"memory_regions\": [", 40000, "] } }");
	expect(t, -E2BIG, NULL);
	free(t);
}

static void size__value_cap(void **state)
{
	size_t n = (1u << 20) + 8, cap = n * 2 + 256, len, i;
	char *t = malloc(cap);
	char msg[512];

	(void)state;
	assert_non_null(t);
	/* Values that no array of a cell counts: only the cap stops them. */
	len = (size_t)snprintf(t, cap, CELL ", \"stream_ids\": [], \"junk\": [");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len, "%s0", i ? "," : "");
	snprintf(t + len, cap - len, "] }");
	assert_int_equal(parse(t, msg, sizeof(msg)), -E2BIG);
	assert_non_null(strstr(msg, "junk["));
	assert_non_null(strstr(msg, "more than 1048576 JSON values"));
	free(t);
}

/*
 * Finding 11: a million regions. The text itself is the caller's; the
 * refusal must come at the entry that goes over, without building a
 * tree. Prints time and the growth of the peak resident set.
 */
static void size__million_regions_fail_fast(void **state)
{
	struct rusage before, after;
	struct timespec t0, t1;
	char *t, msg[512];
	int ret;

	(void)state;
	t = regions_text(CELL ", \"memory_regions\": [", 1000000, "] }");
	getrusage(RUSAGE_SELF, &before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = parse(t, msg, sizeof(msg));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &after);
	assert_int_equal(ret, -E2BIG);
	assert_non_null(strstr(msg, "memory_regions[2043]"));
	/* The text is ~3 MB; a json-c tree of it would be far more. */
	assert_true(after.ru_maxrss - before.ru_maxrss < 16 * 1024);
	print_message("1,000,000 regions refused in %.2f ms, peak RSS grew %ld KiB\n",
		      (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
		      after.ru_maxrss - before.ru_maxrss);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dup__top_level),
		cmocka_unit_test(dup__spellings),
		cmocka_unit_test(dup__nested_and_paths),
		cmocka_unit_test(dup__distinct_objects_fine),
		cmocka_unit_test(dup__syntax_left_to_json_c),
		cmocka_unit_test(size__cell_limit),
		cmocka_unit_test(size__system_limit),
		cmocka_unit_test(size__value_cap),
		cmocka_unit_test(size__million_regions_fail_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
