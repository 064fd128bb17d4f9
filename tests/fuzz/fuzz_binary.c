// SPDX-License-Identifier: MIT
/*
 * Fuzz the binary .cell parser. Whatever it accepts must decompile, and
 * the JSON must compile back to the very same bytes, or be refused by
 * the compiler for one of the reasons configs/README.md lists.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvctl/config.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hvctl_config *config, *again;
	struct hvctl_error err = { { 0 } };
	char *json, list[64];
	int ret;

	if (hvctl_config_parse_binary(&config, data, size, "fuzz.cell", &err)) {
		/* A refusal must say why, naming the input. */
		if (strncmp(err.msg, "fuzz.cell: ", 11))
			abort();
		return 0;
	}
	hvctl_cpulist_format(list, sizeof(list), config->cpu_set,
			     config->cell->cpu_set_size);
	(void)hvctl_config_cpu_count(config);
	if (hvctl_config_to_json(config, &json, &err))
		abort();
	ret = hvctl_config_parse_json(&again, json, "fuzz.json", &err);
	/* What reads but does not compile (configs/README.md, Errors). */
	if (ret && (ret == -E2BIG ||
		    strstr(err.msg, "names are printable text") ||
		    strstr(err.msg, "a comm_region "))) {
		free(json);
		hvctl_config_free(config);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "decompiled JSON does not compile: %s\n%s",
			err.msg, json);
		abort();
	}
	if (again->size != config->size ||
	    memcmp(again->data, config->data, config->size)) {
		fprintf(stderr, "round trip changed the bytes:\n%s", json);
		abort();
	}
	free(json);
	hvctl_config_free(again);
	hvctl_config_free(config);
	return 0;
}
