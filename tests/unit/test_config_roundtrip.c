// SPDX-License-Identifier: MIT
/*
 * Round trips: every shipped config and fixture goes JSON -> binary ->
 * JSON -> binary with identical bytes (and stable text); binaries with
 * bytes changed at random still decompile to JSON that gives them back;
 * a 10,000-region config makes the trip too.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <hvctl/config.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * JSON -> binary -> JSON -> binary, both with the symbolic names kept
 * and from the bare binary. Returns the compiled config.
 */
static struct hvctl_config *round_trip(const char *path)
{
	struct hvctl_config *first, *bin, *second, *third;
	struct hvctl_error err = { { 0 } };
	char *text, *text2, *bare;

	if (hvctl_config_read_file(&first, path, &err))
		fail_msg("%s", err.msg);
	if (hvctl_config_to_json(first, &text, &err))
		fail_msg("%s", err.msg);
	if (hvctl_config_parse_json(&second, text, path, &err))
		fail_msg("%s: decompiled text does not compile: %s\n%s", path,
			 err.msg, text);
	if (second->size != first->size ||
	    memcmp(second->data, first->data, first->size))
		fail_msg("%s: JSON -> binary -> JSON -> binary changed the bytes:\n%s",
			 path, text);
	if (hvctl_config_to_json(second, &text2, &err))
		fail_msg("%s", err.msg);
	if (strcmp(text, text2))
		fail_msg("%s: decompiled text is not stable:\n%s\n---\n%s",
			 path, text, text2);

	/* Without the names, from the bytes alone. */
	if (hvctl_config_parse_binary(&bin, first->data, first->size,
				      "bare.cell", &err))
		fail_msg("%s: compiled bytes do not parse: %s", path, err.msg);
	if (hvctl_config_to_json(bin, &bare, &err))
		fail_msg("%s", err.msg);
	if (hvctl_config_parse_json(&third, bare, "bare.json", &err))
		fail_msg("%s: %s\n%s", path, err.msg, bare);
	if (third->size != first->size ||
	    memcmp(third->data, first->data, first->size))
		fail_msg("%s: binary -> JSON -> binary changed the bytes:\n%s",
			 path, bare);

	free(text);
	free(text2);
	free(bare);
	hvctl_config_free(bin);
	hvctl_config_free(second);
	hvctl_config_free(third);
	return first;
}

/* Configs in dir: every *.json; board files describe boards, not cells. */
static int trip_dir(const char *dir, const char *skip)
{
	struct dirent **list;
	int n, i, done = 0;

	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t len = strlen(name);
		char path[4096];

		if (len > 5 && !strcmp(name + len - 5, ".json") &&
		    !(skip && !strcmp(name, skip))) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			hvctl_config_free(round_trip(path));
			done++;
		}
		free(list[i]);
	}
	free(list);
	return done;
}

static void test_shipped_configs(void **state)
{
	struct dirent **list;
	int n, i, done = 0;

	(void)state;
	n = scandir(HVCTL_SOURCE_DIR "/configs", &list, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/configs/%s", HVCTL_SOURCE_DIR,
			 list[i]->d_name);
		if (list[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			done += trip_dir(path, "board.json");
		free(list[i]);
	}
	free(list);
	/* No configs shipped yet is fine; each one shipped must pass. */
	print_message("%d shipped configs round-tripped\n", done);
}

static void test_fixture_configs(void **state)
{
	int done;

	(void)state;
	done = trip_dir(HVCTL_SOURCE_DIR "/tests/fixtures/golden", NULL);
	assert_true(done >= 5);
	/*
	 * The checker's fixtures, upstream's patterns among them (unused
	 * irqchip slots, empty virtio output sections, peer ids above the
	 * peer count): byte for byte. too-large.json does not compile.
	 */
	done = trip_dir(HVCTL_SOURCE_DIR "/tests/fixtures/check", "too-large.json");
	assert_true(done >= 45);
}

/* Write, read back, compare. */
static void test_file_round_trip(void **state)
{
	char dir[] = "/tmp/hvctl-rt-XXXXXX", path[256];
	struct hvctl_config *c, *back;
	struct hvctl_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/full.cell", dir);
	c = round_trip(HVCTL_SOURCE_DIR "/tests/fixtures/golden/full-arm64.json");
	assert_int_equal(hvctl_config_write_binary(c, path, &err), 0);
	assert_int_equal(hvctl_config_read_file(&back, path, &err), 0);
	assert_int_equal(back->size, c->size);
	assert_memory_equal(back->data, c->data, c->size);
	assert_true(back->is_system);
	hvctl_config_free(back);
	hvctl_config_free(c);
	unlink(path);
	rmdir(dir);
}

/*
 * Change bytes of valid binaries at random (a fixed seed, so failures
 * repeat): whatever still parses must come back byte for byte.
 */
static void test_mutated_binaries(void **state)
{
	static const char *const fixtures[] = {
		"small-system.json", "small-cell.json", "full-arm64.json",
		"full-x86.json", "full-cell.json",
	};
	unsigned int seed = 12345, accepted = 0, tries = 0, refused = 0;
	struct hvctl_config *orig, *mut, *again;
	struct hvctl_error err;
	char path[4096], *text;
	uint8_t *buf;
	size_t f, k;
	int round, ret;

	(void)state;
	for (f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		snprintf(path, sizeof(path), "%s/tests/fixtures/golden/%s",
			 HVCTL_SOURCE_DIR, fixtures[f]);
		assert_int_equal(hvctl_config_read_file(&orig, path, &err), 0);
		buf = malloc(orig->size);
		assert_non_null(buf);
		for (round = 0; round < 4000; round++) {
			memcpy(buf, orig->data, orig->size);
			for (k = 0; k < 1 + (size_t)(rand_r(&seed) % 4); k++)
				buf[rand_r(&seed) % orig->size] =
					(uint8_t)rand_r(&seed);
			tries++;
			if (hvctl_config_parse_binary(&mut, buf, orig->size,
						      "mut.cell", &err)) {
				assert_true(strncmp(err.msg, "mut.cell: ", 10) == 0);
				continue;
			}
			accepted++;
			assert_int_equal(hvctl_config_to_json(mut, &text, &err), 0);
			/*
			 * What the binary reader takes for inspection but
			 * the compiler refuses (configs/README.md): a name
			 * that is no printable text, a comm region with a
			 * physical address or flags it cannot have.
			 */
			ret = hvctl_config_parse_json(&again, text, "mut.json",
						      &err);
			if (ret && (strstr(err.msg, "names are printable text") ||
				    strstr(err.msg, "a comm_region "))) {
				refused++;
				free(text);
				hvctl_config_free(mut);
				continue;
			}
			if (ret)
				fail_msg("%s\n%s", err.msg, text);
			if (again->size != mut->size ||
			    memcmp(again->data, mut->data, mut->size))
				fail_msg("mutated %s does not round-trip:\n%s",
					 fixtures[f], text);
			free(text);
			hvctl_config_free(again);
			hvctl_config_free(mut);
		}
		free(buf);
		hvctl_config_free(orig);
	}
	print_message("%u of %u mutated binaries parsed; %u round-tripped, %u refused by the compiler's name and comm-region rules\n",
		      accepted, tries, accepted - refused, refused);
	assert_true(accepted > tries / 2);
}

/*
 * A generated config with 10,000 memory regions makes the trip: a root
 * cell, as only the system config may be that large (the driver takes
 * 1 MiB; a cell file stops at the hypervisor's 16 pages).
 */
static void test_many_regions(void **state)
{
	const unsigned int regions = 10000;
	struct hvctl_config *c, *again;
	struct hvctl_error err;
	size_t cap = 256 + regions * 160, len = 0;
	char *text, *json;
	double t0, t1, t2;
	unsigned int i;

	(void)state;
	text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len,
				"{ \"type\": \"system\", \"architecture\": \"arm64\", \"root_cell\": {"
				" \"name\": \"big\", \"cpu_set\": \"1\", \"memory_regions\": [");
	for (i = 0; i < regions; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"%s\n { \"name\": \"r%u\", \"phys_start\": \"0x%x\", \"virt_start\": \"0x%x\", \"size\": \"4K\", \"flags\": [\"read\", \"write\"] }",
					i ? "," : "", i, 0x40000000 + i * 0x1000,
					i * 0x1000);
	snprintf(text + len, cap - len, "\n] } }\n");

	t0 = now_ms();
	assert_int_equal(hvctl_config_parse_json(&c, text, "big.json", &err), 0);
	t1 = now_ms();
	assert_int_equal(hvctl_config_to_json(c, &json, &err), 0);
	t2 = now_ms();
	assert_int_equal(c->cell->num_memory_regions, regions);
	assert_string_equal(c->mem_names[9999], "r9999");
	assert_int_equal(hvctl_config_parse_json(&again, json, "big2.json",
						 &err), 0);
	assert_int_equal(again->size, c->size);
	assert_memory_equal(again->data, c->data, c->size);
	/* Figures only; the benchmark owns the time budget. */
	print_message("10000 regions: compile %.1f ms, decompile %.1f ms\n",
		      t1 - t0, t2 - t1);
	free(json);
	free(text);
	hvctl_config_free(again);
	hvctl_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_configs),
		cmocka_unit_test(test_fixture_configs),
		cmocka_unit_test(test_file_round_trip),
		cmocka_unit_test(test_mutated_binaries),
		cmocka_unit_test(test_many_regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
