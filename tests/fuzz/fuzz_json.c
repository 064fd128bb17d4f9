// SPDX-License-Identifier: MIT
/*
 * Fuzz the JSON config compiler. Whatever it accepts must be a valid
 * binary, and binary -> JSON -> binary must give the same bytes and the
 * same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvctl/config.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hvctl_config *config, *bin, *again;
	struct hvctl_error err = { { 0 } };
	char *text, *json, *json2;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (hvctl_config_parse_json(&config, text, "fuzz.json", &err)) {
		if (strncmp(err.msg, "fuzz.json", 9))
			abort();
		free(text);
		return 0;
	}
	free(text);
	if (hvctl_config_parse_binary(&bin, config->data, config->size,
				      "fuzz.cell", &err)) {
		fprintf(stderr, "compiled image does not parse: %s\n", err.msg);
		abort();
	}
	if (hvctl_config_to_json(bin, &json, &err))
		abort();
	if (hvctl_config_parse_json(&again, json, "again.json", &err)) {
		fprintf(stderr, "decompiled JSON does not compile: %s\n%s",
			err.msg, json);
		abort();
	}
	if (again->size != config->size ||
	    memcmp(again->data, config->data, config->size)) {
		fprintf(stderr, "binary -> JSON -> binary changed the bytes:\n%s",
			json);
		abort();
	}
	free(json);
	/* With names kept, the decompiled text is stable too. */
	if (hvctl_config_to_json(config, &json, &err) == 0) {
		hvctl_config_free(bin);
		if (hvctl_config_parse_json(&bin, json, "named.json", &err) ||
		    bin->size != config->size ||
		    memcmp(bin->data, config->data, config->size) ||
		    hvctl_config_to_json(bin, &json2, &err) ||
		    strcmp(json, json2)) {
			fprintf(stderr, "named round trip differs: %s\n%s",
				err.msg, json);
			abort();
		}
		free(json2);
		free(json);
	}
	hvctl_config_free(again);
	hvctl_config_free(bin);
	hvctl_config_free(config);
	return 0;
}
