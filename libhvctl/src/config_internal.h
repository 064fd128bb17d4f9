/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals shared by the config modules (config.c, config_json.c,
 * config_check.c): name tables for flags and enumerations, number
 * formatting as the JSON format writes it, and message helpers.
 *
 * Nothing here is exported from libhvctl.so.
 */
#ifndef HVCTL_CONFIG_INTERNAL_H
#define HVCTL_CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/config.h>

/* One named bit of a flags field; tables end with a NULL name. */
struct config_flag_name {
	uint64_t bit;
	const char *name;
};

/* One named value of an enumeration; tables end with a NULL name. */
struct config_enum_name {
	uint32_t value;
	const char *name;
};

/* Flag names, as the JSON format spells them (configs/README.md). */
extern const struct config_flag_name config_mem_flags[];
extern const struct config_flag_name config_cell_flags[];
extern const struct config_flag_name config_sys_flags[];
extern const struct config_flag_name config_console_flags[];
extern const struct config_flag_name config_cache_flags[];
extern const struct config_flag_name config_pcicap_flags[];

/* Enumeration names. */
extern const struct config_enum_name config_arch_names[];
extern const struct config_enum_name config_console_types[];
extern const struct config_enum_name config_pci_types[];
extern const struct config_enum_name config_cache_types[];
extern const struct config_enum_name config_iommu_types[];
extern const struct config_enum_name config_shmem_protocols[];

/* The name of value in table, or NULL if it has none. */
const char *config_enum_to_name(const struct config_enum_name *table,
				uint32_t value);
/* Look a name up; 0 and *value set, or -ENOENT. */
int config_enum_from_name(const struct config_enum_name *table,
			  const char *name, uint32_t *value);

/* Look a flag name up; 0 and *bit set, or -ENOENT. */
int config_flag_from_name(const struct config_flag_name *table,
			  const char *name, uint64_t *bit);

/*
 * "read,write,0x200000": the names of the set bits in table order, then
 * the remaining bits as one hex number; "" for no flags. sep separates
 * the items. Returns the length the full text needs, like snprintf.
 */
int config_flags_format(char *buf, size_t len,
			const struct config_flag_name *table, uint64_t flags,
			const char *sep);

/* "x86", "arm", "arm64", or "architecture 7" for unknown values. */
const char *config_arch_name(uint8_t arch);

/*
 * Numbers as the decompiler writes them (without JSON quotes):
 *   addresses: "0" for zero, else "0x7fc00000";
 *   sizes:     "0" for zero, "4K"/"1M"/"2G" where exact, else "0x1234".
 * Both return the length needed, like snprintf. 24 bytes always suffice.
 */
#define CONFIG_NUM_BUF	24
int config_format_addr(char *buf, size_t len, uint64_t value);
int config_format_size(char *buf, size_t len, uint64_t value);

/*
 * Parse a number as the JSON format allows in strings: decimal, "0x" hex,
 * or decimal with a K/M/G suffix (binary multiples). 0 on success,
 * -EINVAL for bad syntax, -ERANGE if it does not fit in 64 bits.
 */
int config_parse_number(const char *text, uint64_t *value);

/*
 * Format a bitmap as a list of numbers ("0-3,6"), bit n of byte n/8 being
 * number base + n. Returns the length the full text needs.
 */
int config_bitmap_format(char *buf, size_t len, const uint8_t *bits,
			 size_t num_bytes, uint64_t base);

/* The config's name for messages: its source or "config". */
const char *config_name(const struct hvctl_config *config);

/* Fill err (may be NULL) with a formatted message. */
void config_error(struct hvctl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void config_verror(struct hvctl_error *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Build a config from an image the caller hands over (data is taken over
 * on success and freed on failure), validating it like
 * hvctl_config_parse_binary(). name is copied.
 */
int config_from_image(struct hvctl_config **out, uint8_t *data, size_t size,
		      const char *name, struct hvctl_error *err);

/*
 * Largest CPU set (bytes) the codecs handle; far above what the
 * hypervisor accepts (HV_CPU_SET_MAX_SIZE), so only absurd files hit it.
 */
#define CONFIG_CPU_SET_SIZE_LIMIT	(16u << 20)

/*
 * Default cpu_set_size for a set whose highest CPU is ncpus - 1 (ncpus 0:
 * empty set): the smallest multiple of 8 bytes that holds it, at least 8,
 * as upstream declares CPU sets as arrays of u64.
 */
static inline uint64_t config_cpu_set_default_size(uint64_t ncpus)
{
	return ncpus ? (ncpus + 63) / 64 * 8 : 8;
}

/*
 * Most JSON values a config file may hold. The largest config the driver
 * takes (1 MiB) has about 32,000 memory regions of a handful of values
 * each; the cap bounds the tree json-c would build for anything else.
 */
#define CONFIG_JSON_MAX_VALUES		(1 << 20)

/*
 * Walk JSON text (len bytes) before it is parsed (config_scan.c): a key
 * given twice in one object, arrays of a cell that take the binary past
 * the hypervisor's or the driver's limit, and more than
 * CONFIG_JSON_MAX_VALUES values are errors (negative errno, err filled
 * with file, line, column and JSON path). Returns 0 otherwise; *stopped
 * is SIZE_MAX if the whole text was walked, else the offset of text the
 * walk did not understand (json-c's syntax check has the last word).
 */
int config_json_scan(const char *text, size_t len, const char *file,
		     struct hvctl_error *err, size_t *stopped);

/* hvctl_config_parse_json() for text of len bytes (need not end in NUL). */
int config_parse_json_len(struct hvctl_config **out, const char *text,
			  size_t len, const char *name,
			  struct hvctl_error *err);

/*
 * Why comm region m is refused, or NULL: a comm region is the
 * hypervisor's communication page, mapped at virt_start; it has no
 * physical address, no image is loaded into it, it is no device and the
 * root never shares it. *field is the key at fault ("phys_start" or
 * "flags").
 */
const char *config_comm_problem(const struct hv_memory *m,
				const char **field);

/*
 * Is a name (len bytes) printable text? 0, or -EINVAL with why (n bytes)
 * saying which byte is a control character or not valid UTF-8.
 */
int config_text_problem(const char *name, size_t len, char *why, size_t n);

/* Named ivshmem BAR mask presets ("intx", ...); ends with a NULL name. */
struct config_bar_preset {
	const char *name;
	uint32_t mask[6];
};
extern const struct config_bar_preset config_bar_presets[];

/* Offsets of the union bytes not covered by a typed view ("raw" keys). */
#define CONFIG_IOMMU_AMD_RAW_OFFSET	8	/* within the 12-byte union */
#define CONFIG_X86_RAW_OFFSET		16	/* within the 44-byte union */

#endif /* !HVCTL_CONFIG_INTERNAL_H */
