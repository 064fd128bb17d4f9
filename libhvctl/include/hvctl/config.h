/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cell and system configurations: the binary .cell format (revision 14),
 * the JSON format (configs/README.md) and validation.
 *
 * A struct hvctl_config holds the exact binary image of a config plus
 * typed views into it; the views stay valid as long as the config.
 */
#ifndef HVCTL_CONFIG_H
#define HVCTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvctl/common.h>

struct hvctl_config {
	/* The .cell bytes, exactly as written by hvctl_config_write_*(). */
	uint8_t *data;
	size_t size;
	bool is_system;
	uint8_t architecture;		/* HV_ARCH_* */

	/* Views into data. system is NULL for a cell config; cell is the
	 * cell descriptor, or the system's root cell. */
	const struct hv_system *system;
	const struct hv_cell_desc *cell;
	const uint8_t *cpu_set;		/* cell->cpu_set_size bytes */
	const struct hv_memory *mem;
	const struct hv_cache *cache;
	const struct hv_irqchip *irqchips;
	const struct hv_pio *pio;
	const struct hv_pci_device *pci;
	const struct hv_pci_capability *pci_caps;
	const union hv_stream_id *stream_ids;

	/*
	 * Optional symbolic names of memory regions and PCI devices, as given
	 * in JSON ("name" key); NULL arrays or NULL entries where there is
	 * none. Not part of the binary format.
	 */
	char **mem_names;
	char **pci_names;

	/* Where the config came from, for messages ("configs/sim/rtos.json"). */
	char *source;
};

/* Format of a file on disk, told apart by content. */
enum hvctl_config_format {
	HVCTL_CONFIG_FORMAT_UNKNOWN = 0,
	HVCTL_CONFIG_FORMAT_BINARY,
	HVCTL_CONFIG_FORMAT_JSON,
};

/*
 * Parse a binary .cell image (system or cell, told apart by signature).
 * Every count is checked against size without overflow; v0.12-era files,
 * other revisions and architectures out of range are refused with a
 * message naming what was found. data is copied. name is used in
 * messages and kept as config->source (may be NULL).
 */
HVCTL_EXPORT int hvctl_config_parse_binary(struct hvctl_config **out,
					   const void *data, size_t size,
					   const char *name,
					   struct hvctl_error *err);

/* Parse a JSON config held in memory (NUL-terminated text). */
HVCTL_EXPORT int hvctl_config_parse_json(struct hvctl_config **out,
					 const char *text, const char *name,
					 struct hvctl_error *err);

/*
 * Tell JSON from binary by content: the first non-blank byte is '{' or
 * starts a C or C++ style comment for JSON; anything else is taken as
 * binary; UNKNOWN for empty or all-blank data.
 */
HVCTL_EXPORT enum hvctl_config_format hvctl_config_detect_format(const void *data,
								 size_t size);

/* Read a file, binary or JSON (detected from its content). */
HVCTL_EXPORT int hvctl_config_read_file(struct hvctl_config **out,
					const char *path,
					struct hvctl_error *err);

/* Write the binary image to path atomically (temp file + rename). */
HVCTL_EXPORT int hvctl_config_write_binary(const struct hvctl_config *config,
					   const char *path,
					   struct hvctl_error *err);

/*
 * Render as JSON text (caller frees with free()). Recompiling the text
 * gives identical bytes.
 */
HVCTL_EXPORT int hvctl_config_to_json(const struct hvctl_config *config,
				      char **out, struct hvctl_error *err);

HVCTL_EXPORT void hvctl_config_free(struct hvctl_config *config);

/* CPU helpers on a config's CPU set. */
HVCTL_EXPORT bool hvctl_config_has_cpu(const struct hvctl_config *config,
				       unsigned int cpu);
HVCTL_EXPORT unsigned int hvctl_config_cpu_count(const struct hvctl_config *config);

/*
 * Format a CPU bitmap as a list ("0-3,6"); returns the length that the
 * full text needs (like snprintf).
 */
HVCTL_EXPORT int hvctl_cpulist_format(char *buf, size_t len,
				      const uint8_t *set, size_t set_size);

/* Flag names: "read,write,dma,0x200000" for memory flags, and so on. */
HVCTL_EXPORT int hvctl_config_mem_flags_str(char *buf, size_t len,
					    uint64_t flags);

/* ---- Validation ---- */

struct hvctl_finding {
	char *file;	/* the config the finding is about */
	char *path;	/* JSON path, e.g. "memory_regions[3]" */
	char *message;	/* what is wrong, naming both objects and ranges */
};

struct hvctl_findings {
	size_t count;
	struct hvctl_finding *items;
};

/*
 * Check a system config together with any set of cell configs (all as
 * they would be loaded at once). Returns 0 and a (possibly empty) list
 * in *out, or a negative errno if checking itself failed.
 */
HVCTL_EXPORT int hvctl_config_check(const struct hvctl_config *system,
				    const struct hvctl_config *const *cells,
				    size_t num_cells,
				    struct hvctl_findings **out);

HVCTL_EXPORT void hvctl_findings_free(struct hvctl_findings *findings);

/* ---- Differences ---- */

/*
 * One field that differs between two configs, in the words of the JSON
 * format (names.h): path "memory_regions[2].flags", values as the
 * format writes them ("read,write,loadable", "0x7f000000", "1M"). A
 * value is NULL where that config has no such field (a region only one
 * of them has is one change of the whole region, written as JSON).
 * label: the region's or PCI device's name in either config, or NULL.
 */
struct hvctl_config_change {
	char *path;
	char *label;
	char *old_value;
	char *new_value;
};

struct hvctl_config_changes {
	size_t count;
	struct hvctl_config_change *items;
};

/*
 * Compare two configs field by field, as the hypervisor sees them: the
 * binary images, so names of regions and devices (JSON only) never
 * count as a difference, and equal images give no change at all. A
 * cell config's ID is not compared either: the driver assigns it.
 * Regions and devices are compared by position, as the format indexes
 * them. 0 and a (possibly empty) list in *out, or -ENOMEM / -EINVAL with
 * err set.
 */
HVCTL_EXPORT int hvctl_config_diff(const struct hvctl_config *old_config,
				   const struct hvctl_config *new_config,
				   struct hvctl_config_changes **out,
				   struct hvctl_error *err);

HVCTL_EXPORT void hvctl_config_changes_free(struct hvctl_config_changes *changes);

#endif /* !HVCTL_CONFIG_H */
