// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl_config_diff: field-level differences of two configs in the
 * format's words; names of regions and the cell ID never differ; equal
 * images give nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hvctl/config.h>

#define RTOS	HVCTL_SOURCE_DIR "/configs/sim/rtos.json"

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* rtos.json with the first occurrence of from replaced by to. */
static struct hvctl_config *rtos_with(const char *from, const char *to)
{
	char *text = read_text(RTOS), *at, *edited;
	struct hvctl_config *c = NULL;
	struct hvctl_error err;

	at = strstr(text, from);
	assert_non_null(at);
	edited = malloc(strlen(text) + strlen(to) + 1);
	assert_non_null(edited);
	sprintf(edited, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	if (hvctl_config_parse_json(&c, edited, "edited.json", &err))
		fail_msg("edited rtos.json does not parse: %s", err.msg);
	free(text);
	free(edited);
	return c;
}

static struct hvctl_config *rtos(void)
{
	struct hvctl_config *c = NULL;
	struct hvctl_error err;

	assert_int_equal(hvctl_config_read_file(&c, RTOS, &err), 0);
	return c;
}

static const struct hvctl_config_change *find(const struct hvctl_config_changes *ch,
					      const char *path)
{
	size_t i;

	for (i = 0; i < ch->count; i++)
		if (!strcmp(ch->items[i].path, path))
			return &ch->items[i];
	fail_msg("no change at %s", path);
	return NULL;
}

static void diff__equal(void **state)
{
	struct hvctl_config *a = rtos(), *b = rtos();
	struct hvctl_config_changes *ch = NULL;
	struct hvctl_error err;

	(void)state;
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	assert_int_equal(ch->count, 0);
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);

	/* Region names are JSON only; the ID is the driver's: no difference. */
	b = rtos_with("\"name\": \"ram\"", "\"name\": \"memory\"");
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	assert_int_equal(ch->count, 0);
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);
	b = rtos_with("\"name\": \"rtos\",", "\"name\": \"rtos\", \"id\": 7,");
	assert_int_not_equal(a->size == b->size && !memcmp(a->data, b->data, a->size), 1);
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	assert_int_equal(ch->count, 0);
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);
	hvctl_config_free(a);
}

static void diff__fields(void **state)
{
	struct hvctl_config *a = rtos(), *b;
	struct hvctl_config_changes *ch = NULL;
	const struct hvctl_config_change *c;
	struct hvctl_error err;

	(void)state;
	b = rtos_with("\"cpu_set\": \"1\"", "\"cpu_set\": \"1-2\"");
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	assert_int_equal(ch->count, 1);
	c = find(ch, "cpu_set");
	assert_string_equal(c->old_value, "1");
	assert_string_equal(c->new_value, "1-2");
	assert_null(c->label);
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);

	/* A region's size in the format's units, labelled with its name. */
	b = rtos_with("\"size\": \"1M\"", "\"size\": \"2M\"");
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	assert_int_equal(ch->count, 1);
	c = find(ch, "memory_regions[0].size");
	assert_string_equal(c->old_value, "1M");
	assert_string_equal(c->new_value, "2M");
	assert_string_equal(c->label, "ram");
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);

	/* Flags by name, as a list. */
	b = rtos_with("\"passive_commreg\", ", "");
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	c = find(ch, "flags");
	assert_string_equal(c->old_value, "passive_commreg,virtual_console_permitted");
	assert_string_equal(c->new_value, "virtual_console_permitted");
	hvctl_config_changes_free(ch);

	/* The other way round: old and new swap. */
	assert_int_equal(hvctl_config_diff(b, a, &ch, &err), 0);
	c = find(ch, "flags");
	assert_string_equal(c->old_value, "virtual_console_permitted");
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);
	hvctl_config_free(a);
}

/* A region only one side has is one change of the whole region. */
static void diff__added_region(void **state)
{
	struct hvctl_config *a = rtos(), *b;
	struct hvctl_config_changes *ch = NULL;
	const struct hvctl_config_change *c;
	struct hvctl_error err;
	size_t i;

	(void)state;
	b = rtos_with("\"memory_regions\": [",
		      "\"memory_regions\": [ { \"name\": \"extra\", \"phys_start\": \"0x7e000000\", "
		      "\"virt_start\": \"0x100000\", \"size\": \"64K\", \"flags\": [\"read\"] },");
	assert_int_equal(hvctl_config_diff(a, b, &ch, &err), 0);
	/* By position: region 0 changed, and one at the end is new. */
	c = find(ch, "memory_regions[0].phys_start");
	assert_string_equal(c->old_value, "0x7f000000");
	assert_string_equal(c->new_value, "0x7e000000");
	assert_string_equal(c->label, "extra");
	c = NULL;
	for (i = 0; i < ch->count; i++)
		if (!ch->items[i].old_value)
			c = &ch->items[i];
	assert_non_null(c);
	assert_string_equal(c->path, "memory_regions[6]");
	assert_non_null(strstr(c->new_value, "\"flags\":[\"read\",\"write\",\"rootshared\"]"));
	hvctl_config_changes_free(ch);
	hvctl_config_free(b);
	hvctl_config_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diff__equal),
		cmocka_unit_test(diff__fields),
		cmocka_unit_test(diff__added_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
