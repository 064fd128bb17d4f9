// SPDX-License-Identifier: MIT
/*
 * Binary .cell codec: layout, golden bytes typed in from the offset tables
 * of spec §3, a generated corpus of malformed images, atomic writing and
 * the CPU / flag helpers.
 */
#include <dirent.h>
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
#include <unistd.h>

#include <cmocka.h>

#include <hvctl/config.h>

#define GOLDEN_DIR HVCTL_SOURCE_DIR "/tests/fixtures/golden"

/* Little-endian byte lists, so the tables below read like the spec. */
#define B16(v)	(uint8_t)((v) & 0xff), (uint8_t)(((v) >> 8) & 0xff)
#define B32(v)	B16((v) & 0xffff), B16(((v) >> 16) & 0xffff)
#define B64(v)	B32((uint64_t)(v) & 0xffffffffull), B32(((uint64_t)(v) >> 32) & 0xffffffffull)

/*
 * tests/fixtures/golden/small-system.json, by hand. Offsets from spec
 * §3.13 (system header), §3.4 (root cell at 356) and §3.2 (arrays at 488).
 */
static const uint8_t golden_system[648] = {
	[0] = 'J', 'H', 'S', 'Y', 'S', 2, B16(14),
	[8] = B32(0x1),					/* flags */
	[12] = B64(0x7fc00000), B64(0), B64(0x400000), B64(0),
	[44] = B64(0x09000000), B32(0x1000), B16(0x3), B16(0x3),
	[76] = B64(0x08e00000), 0, 1, B16(1),		/* PCI */
	/* 88..311: eight IOMMU units, all zero */
	[312] = 25, 3, 0, 0, B64(0x08000000), B64(0), B64(0), B64(0),
	[348] = B64(0x080a0000),
	/* root cell: signature, architecture, revision stay zero */
	[364] = 'r', 'o', 'o', 't',
	[396] = B32(0), B32(0), B32(8),			/* id flags cpu_set_size */
	[408] = B32(2), B32(0), B32(1), B32(0), B32(1), B32(0), B32(0),
	[436] = B32(108),				/* vpci_irq_base */
	[488] = 0x0f,					/* CPUs 0-3 */
	[496] = B64(0x40000000), B64(0x40000000), B64(0x3fb00000), B64(0x7),
	[528] = B64(0x09000000), B64(0x09000000), B64(0x1000), B64(0x13),
	[560] = B64(0x08000000), B32(0), B32(32),	/* irqchip */
	[576] = B32(0x2), B32(0), B32(0), B32(0x3000),	/* 33, 140-141 */
	[592] = 3, 0, B16(1), B16(0x0008),		/* ivshmem 00:01.0 */
	[598] = B32(0xfffff000),			/* bar_mask: intx */
	[640] = B32(1), 0, 2, B16(0x0001),		/* shmem: region 1, veth */
};

/* tests/fixtures/golden/small-cell.json, by hand (spec §3.4-§3.11). */
static const uint8_t golden_cell[356] = {
	[0] = 'J', 'H', 'C', 'L', 'L', 2, B16(14),
	[8] = 'r', 't', 'o', 's',
	[44] = B32(0x40000001), B32(8),
	[52] = B32(3), B32(1), B32(1), B32(1), B32(1), B32(1), B32(2),
	[100] = B64(0x09000000), B32(0x1000), B16(3), B16(1),	/* console */
	[132] = 0x02,					/* CPU 1 */
	[140] = B64(0x7f000000), B64(0), B64(0x100000), B64(0x47),
	[172] = B64(0), B64(0x80000000), B64(0x1000), B64(0x23),
	[204] = B64(0x7fb00000), B64(0x7fb00000), B64(0x1000), B64(0x81),
	[236] = B32(0), B32(2), 3, 0, B16(1),		/* cache */
	[248] = B64(0x08000000), B32(0), B32(32), B32(0x2),
	[280] = B16(0x3f8), B16(8),			/* pio */
	[284] = 3, 0, B16(1), B16(0x0008), B32(0xfffff000),
	[314] = B16(0), B16(1), 0, 0x3,			/* caps, msi */
	[332] = B32(2), 1, 2, B16(0xc003),		/* shmem */
	[340] = B16(0x10), B16(0x40), B16(20), B16(0x1),
	[348] = B32(0x1234), B32(5),
};

/* ---- helpers ---- */

static char *read_text(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (size)
		*size = (size_t)len;
	return buf;
}

static struct hvctl_config *compile_file(const char *path)
{
	struct hvctl_config *config = NULL;
	struct hvctl_error err = { { 0 } };
	int ret;

	ret = hvctl_config_read_file(&config, path, &err);
	if (ret)
		fail_msg("%s", err.msg);
	return config;
}

/* Parse must fail, with a message starting with name and holding want. */
static void expect_refused(const void *data, size_t size, const char *name,
			   const char *want)
{
	struct hvctl_config *config = NULL;
	struct hvctl_error err = { { 0 } };
	int ret;

	ret = hvctl_config_parse_binary(&config, data, size, name, &err);
	if (ret == 0)
		fail_msg("%s: accepted, expected \"%s\"", name, want);
	assert_int_equal(ret, -EINVAL);
	assert_null(config);
	if (strncmp(err.msg, name, strlen(name)) || !strstr(err.msg, want))
		fail_msg("%s: message \"%s\" lacks \"%s\"", name, err.msg, want);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Binary images of every fixture and shipped config. */
struct image {
	char *name;
	uint8_t *data;
	size_t size;
	bool is_system;
};

static size_t collect_dir(const char *dir, bool skip_board,
			  struct image *out, size_t n, size_t max)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return n;
	while ((de = readdir(d)) && n < max) {
		size_t len = strlen(de->d_name);
		struct hvctl_config *config;
		char path[4096];

		if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		if (skip_board && !strcmp(de->d_name, "board.json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		config = compile_file(path);
		out[n].name = strdup(de->d_name);
		out[n].data = malloc(config->size);
		assert_non_null(out[n].name);
		assert_non_null(out[n].data);
		memcpy(out[n].data, config->data, config->size);
		out[n].size = config->size;
		out[n].is_system = config->is_system;
		hvctl_config_free(config);
		n++;
	}
	closedir(d);
	return n;
}

#define MAX_IMAGES 128

static size_t collect_images(struct image *out)
{
	struct dirent *de;
	size_t n;
	DIR *d;

	n = collect_dir(GOLDEN_DIR, false, out, 0, MAX_IMAGES);
	d = opendir(HVCTL_SOURCE_DIR "/configs");
	if (d) {
		while ((de = readdir(d))) {
			char path[4096];
			struct stat st;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/configs/%s",
				 HVCTL_SOURCE_DIR, de->d_name);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				n = collect_dir(path, true, out, n, MAX_IMAGES);
		}
		closedir(d);
	}
	return n;
}

static void free_images(struct image *img, size_t n)
{
	while (n--) {
		free(img[n].name);
		free(img[n].data);
	}
}

/* ---- layout ---- */

static void test_layout(void **state)
{
	(void)state;
	/* The ABI header asserts these at compile time; check a few live. */
	assert_int_equal(sizeof(struct hv_cell_desc), 132);
	assert_int_equal(sizeof(struct hv_system), 488);
	assert_int_equal(sizeof(struct hv_memory), 32);
	assert_int_equal(sizeof(struct hv_cache), 12);
	assert_int_equal(sizeof(struct hv_irqchip), 32);
	assert_int_equal(sizeof(struct hv_pio), 4);
	assert_int_equal(sizeof(struct hv_pci_device), 56);
	assert_int_equal(sizeof(struct hv_pci_capability), 8);
	assert_int_equal(sizeof(union hv_stream_id), 4);
	assert_int_equal(sizeof(struct hv_iommu), 28);
	assert_int_equal(sizeof(struct hv_console), 32);
	assert_int_equal(offsetof(struct hv_system, root_cell), 356);
	assert_int_equal(offsetof(struct hv_system, platform_info.arm.gicd_base), 316);
	assert_int_equal(offsetof(struct hv_system, platform_info.x86.tsc_khz), 320);
	assert_int_equal(offsetof(struct hv_cell_desc, console), 100);
	assert_int_equal(offsetof(struct hv_cell_desc, msg_reply_timeout), 92);
	assert_int_equal(offsetof(struct hv_pci_device, msix_address), 40);
	assert_int_equal(offsetof(struct hv_pci_device, shmem_protocol), 54);
	assert_int_equal(offsetof(struct hv_iommu, tipvu.tlb_size), 24);
}

/* ---- golden bytes ---- */

static void check_golden(const char *json, const uint8_t *bytes, size_t size,
			 const char *cell_file)
{
	struct hvctl_config *config, *parsed;
	struct hvctl_error err;
	char *text, *shipped;
	size_t shipped_size;

	config = compile_file(json);
	assert_int_equal(config->size, size);
	if (memcmp(config->data, bytes, size)) {
		size_t i;

		for (i = 0; i < size && config->data[i] == bytes[i]; i++)
			;
		fail_msg("%s: compiled bytes differ from the golden bytes at offset %zu (0x%02x, want 0x%02x)",
			 json, i, config->data[i], bytes[i]);
	}
	/* The golden .cell files (fuzz seeds) are the same bytes. */
	shipped = read_text(cell_file, &shipped_size);
	assert_int_equal(shipped_size, size);
	assert_memory_equal(shipped, bytes, size);
	free(shipped);

	assert_int_equal(hvctl_config_parse_binary(&parsed, bytes, size,
						   "golden.cell", &err), 0);
	assert_memory_equal(parsed->data, bytes, size);
	assert_int_equal(hvctl_config_to_json(parsed, &text, &err), 0);
	hvctl_config_free(parsed);
	assert_int_equal(hvctl_config_parse_json(&parsed, text, "golden.json",
						 &err), 0);
	assert_int_equal(parsed->size, size);
	assert_memory_equal(parsed->data, bytes, size);
	free(text);
	hvctl_config_free(parsed);
	hvctl_config_free(config);
}

static void test_golden_system(void **state)
{
	struct hvctl_config *c;
	struct hvctl_error err;

	(void)state;
	check_golden(GOLDEN_DIR "/small-system.json", golden_system,
		     sizeof(golden_system), GOLDEN_DIR "/small-system.cell");

	assert_int_equal(hvctl_config_parse_binary(&c, golden_system,
						   sizeof(golden_system),
						   "sys.cell", &err), 0);
	assert_true(c->is_system);
	assert_int_equal(c->architecture, HV_ARCH_ARM64);
	assert_ptr_equal(c->system, c->data);
	assert_ptr_equal(c->cell, c->data + 356);
	assert_string_equal(c->cell->name, "root");
	assert_string_equal(c->source, "sys.cell");
	assert_int_equal(c->system->platform_info.arm.gicr_base, 0x080a0000);
	assert_int_equal(c->system->debug_console.type, HV_CON_TYPE_PL011);
	assert_ptr_equal(c->cpu_set, c->data + 488);
	assert_ptr_equal(c->mem, c->data + 496);
	assert_int_equal(c->mem[1].flags, HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO);
	assert_ptr_equal(c->irqchips, c->data + 560);
	assert_int_equal(c->irqchips[0].pin_bitmap[3], 0x3000);
	assert_ptr_equal(c->pci, c->data + 592);
	assert_int_equal(c->pci[0].bdf, 0x0008);
	assert_int_equal(c->pci[0].shmem_protocol, HV_SHMEM_PROTO_VETH);
	assert_null(c->mem_names);
	assert_int_equal(hvctl_config_cpu_count(c), 4);
	hvctl_config_free(c);
}

static void test_golden_cell(void **state)
{
	struct hvctl_config *c;
	struct hvctl_error err;

	(void)state;
	check_golden(GOLDEN_DIR "/small-cell.json", golden_cell,
		     sizeof(golden_cell), GOLDEN_DIR "/small-cell.cell");

	assert_int_equal(hvctl_config_parse_binary(&c, golden_cell,
						   sizeof(golden_cell),
						   "rtos.cell", &err), 0);
	assert_false(c->is_system);
	assert_null(c->system);
	assert_ptr_equal(c->cell, c->data);
	assert_ptr_equal(c->cache, c->data + 236);
	assert_ptr_equal(c->pio, c->data + 280);
	assert_ptr_equal(c->pci_caps, c->data + 340);
	assert_ptr_equal(c->stream_ids, c->data + 348);
	assert_int_equal(c->cache[0].flags, HV_CACHE_ROOTSHARED);
	assert_int_equal(c->pio[0].base, 0x3f8);
	assert_int_equal(c->pci[0].msi_flags, 3);
	assert_int_equal(c->pci[0].shmem_regions_start, 2);
	assert_int_equal(c->pci_caps[0].len, 20);
	assert_int_equal(c->stream_ids[1].id, 5);
	assert_true(hvctl_config_has_cpu(c, 1));
	assert_false(hvctl_config_has_cpu(c, 0));
	assert_false(hvctl_config_has_cpu(c, 64));
	assert_int_equal(hvctl_config_cpu_count(c), 1);
	hvctl_config_free(c);
}

/* ---- malformed images ---- */

static void test_truncated_everywhere(void **state)
{
	struct image img[MAX_IMAGES];
	size_t n, i, cut;

	(void)state;
	n = collect_images(img);
	assert_true(n >= 5);
	for (i = 0; i < n; i++) {
		expect_refused(img[i].data, 0, img[i].name, "empty file");
		for (cut = 1; cut < img[i].size; cut++)
			expect_refused(img[i].data, cut, img[i].name,
				       "truncated");
	}
	free_images(img, n);
}

static void test_trailing_bytes(void **state)
{
	struct image img[MAX_IMAGES];
	char want[128];
	uint8_t *buf;
	size_t n, i;

	(void)state;
	n = collect_images(img);
	for (i = 0; i < n; i++) {
		buf = calloc(1, img[i].size + 3);
		assert_non_null(buf);
		memcpy(buf, img[i].data, img[i].size);
		snprintf(want, sizeof(want),
			 "3 trailing bytes: the counts give a config of %zu bytes, file has %zu",
			 img[i].size, img[i].size + 3);
		expect_refused(buf, img[i].size + 3, img[i].name, want);
		free(buf);
	}
	free_images(img, n);
}

static void test_header_errors(void **state)
{
	uint8_t buf[sizeof(golden_cell)];
	uint8_t sys[sizeof(golden_system)];
	static const uint16_t revisions[] = { 12, 13, 15, 0, 0xffff };
	char want[96];
	size_t i;

	(void)state;
	memcpy(buf, golden_cell, sizeof(buf));
	memcpy(buf, "JHXLL", 5);
	expect_refused(buf, sizeof(buf), "x.cell",
		       "not a Jailhouse configuration: signature \"JHXLL\"");
	memcpy(buf, "\x01\x02\"\\L", 5);
	expect_refused(buf, sizeof(buf), "x.cell", "\\x01\\x02\\x22\\x5cL");

	for (i = 0; i < sizeof(revisions) / sizeof(revisions[0]); i++) {
		memcpy(buf, golden_cell, sizeof(buf));
		buf[6] = (uint8_t)revisions[i];
		buf[7] = (uint8_t)(revisions[i] >> 8);
		snprintf(want, sizeof(want),
			 "config revision %u is not supported", revisions[i]);
		expect_refused(buf, sizeof(buf), "rev.cell", want);
	}

	/* v0.12: 6-byte signature, then the revision. */
	memcpy(buf, "JHCELL", 6);
	buf[6] = 12;
	buf[7] = 0;
	expect_refused(buf, sizeof(buf), "old.cell",
		       "old.cell: this is a Jailhouse v0.12 (revision 12) configuration; rebuild it for revision 14");
	memcpy(sys, golden_system, sizeof(sys));
	memcpy(sys, "JHSYST", 6);
	sys[6] = 12;
	expect_refused(sys, sizeof(sys), "old-sys.cell",
		       "Jailhouse v0.12 (revision 12)");
	sys[6] = 11;
	expect_refused(sys, sizeof(sys), "older.cell", "revision 11");

	memcpy(buf, golden_cell, sizeof(buf));
	buf[5] = 3;
	expect_refused(buf, sizeof(buf), "arch.cell", "unknown architecture 3");
	buf[5] = 255;
	expect_refused(buf, sizeof(buf), "arch.cell", "unknown architecture 255");
	memcpy(sys, golden_system, sizeof(sys));
	sys[5] = 3;
	expect_refused(sys, sizeof(sys), "arch.cell", "unknown architecture 3");

	/* A system signature on a short file: the system descriptor. */
	expect_refused(golden_system, 200, "short.cell",
		       "short.cell: truncated: a system descriptor needs 488 bytes, file has 200");
	expect_refused(golden_cell, 100, "tiny.cell",
		       "tiny.cell: truncated: a config descriptor needs at least 132 bytes, file has 100");
}

static void test_huge_counts(void **state)
{
	/* Offsets of the count fields within a cell descriptor. */
	static const struct {
		size_t off;
		const char *name;
		uint64_t elem;
	} counts[] = {
		{ 52, "memory_regions", 32 }, { 56, "cache_regions", 12 },
		{ 60, "irqchips", 32 }, { 64, "pio_regions", 4 },
		{ 68, "pci_devices", 56 }, { 72, "pci_caps", 8 },
		{ 76, "stream_ids", 4 },
	};
	static const uint32_t values[] = {
		0xffffffff, 0x80000000, 0x08000001, 0x4924925, 0x40000001,
		0x20000001, 1000,
	};
	uint8_t cell[sizeof(golden_cell)], sys[sizeof(golden_system)];
	char want[160];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		for (k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
			uint64_t need = counts[i].elem * values[k];

			memcpy(cell, golden_cell, sizeof(cell));
			put32(cell + counts[i].off, values[k]);
			snprintf(want, sizeof(want),
				 "truncated: %s need %llu bytes at offset",
				 counts[i].name, (unsigned long long)need);
			expect_refused(cell, sizeof(cell), "big.cell", want);

			memcpy(sys, golden_system, sizeof(sys));
			put32(sys + 356 + counts[i].off, values[k]);
			expect_refused(sys, sizeof(sys), "big-sys.cell", want);
		}
	}
	/* Products beyond 32 bits are named exactly, not wrapped. */
	memcpy(cell, golden_cell, sizeof(cell));
	put32(cell + 52, 0x08000001);
	expect_refused(cell, sizeof(cell), "wrap.cell",
		       "memory_regions need 4294967328 bytes at offset 140, file has 356");

	memcpy(cell, golden_cell, sizeof(cell));
	put32(cell + 48, 0xffffffff);
	expect_refused(cell, sizeof(cell), "cpus.cell", "cpu_set_size 4294967295 is over the limit");
	put32(cell + 48, 1000);
	expect_refused(cell, sizeof(cell), "cpus.cell",
		       "cpus.cell: truncated: cpu_set bytes need 1000 bytes at offset 132, file has 356");
}

static void test_bad_names(void **state)
{
	uint8_t buf[sizeof(golden_cell)];

	(void)state;
	memcpy(buf, golden_cell, sizeof(buf));
	memset(buf + 8, 'a', 32);
	expect_refused(buf, sizeof(buf), "n.cell",
		       "cell name is not NUL-terminated within 32 bytes");
	memset(buf + 8, 0, 32);
	expect_refused(buf, sizeof(buf), "n.cell", "cell name is empty");
	memcpy(buf + 8, "ab\0z", 4);
	expect_refused(buf, sizeof(buf), "n.cell",
		       "cell name \"ab\" has non-zero bytes after its terminating NUL");
}

/*
 * A cell config larger than the hypervisor's 16 pages still parses and
 * decompiles (config check and show report it), but its JSON does not
 * compile: nothing the hypervisor would refuse is made.
 */
static void test_large_cell(void **state)
{
	uint32_t regions = 3000;
	size_t size = sizeof(golden_cell) + regions * 32;
	struct hvctl_config *c, *again;
	struct hvctl_error err;
	uint8_t *buf;
	char *json;

	(void)state;
	buf = calloc(1, size);
	assert_non_null(buf);
	/* Descriptor, CPU set and the first memory regions stay in place. */
	memcpy(buf, golden_cell, 140 + 3 * 32);
	put32(buf + 52, 3 + regions);
	memcpy(buf + 140 + (3 + regions) * 32, golden_cell + 236,
	       sizeof(golden_cell) - 236);
	assert_true(size > 16 * 4096);
	assert_int_equal(hvctl_config_parse_binary(&c, buf, size, "big.cell",
						   &err), 0);
	assert_int_equal(c->cell->num_memory_regions, 3003);
	assert_int_equal(c->stream_ids[0].id, 0x1234);
	assert_int_equal(hvctl_config_to_json(c, &json, &err), 0);
	again = NULL;
	assert_int_equal(hvctl_config_parse_json(&again, json, "big.json",
						 &err), -E2BIG);
	assert_null(again);
	assert_non_null(strstr(err.msg, "memory_regions[2043]: entry 2043 makes the config larger than the 65536 bytes"));
	free(json);
	free(buf);
	hvctl_config_free(c);
}

/* ---- files ---- */

static void test_write_atomic(void **state)
{
	char dir[] = "/tmp/hvctl-test-XXXXXX";
	struct hvctl_config *c, *back;
	struct hvctl_error err;
	char path[256], bad[300];
	struct dirent *de;
	struct stat st;
	int entries = 0;
	DIR *d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rtos.cell", dir);
	assert_int_equal(hvctl_config_parse_binary(&c, golden_cell,
						   sizeof(golden_cell), NULL,
						   &err), 0);
	assert_null(c->source);
	assert_int_equal(hvctl_config_write_binary(c, path, &err), 0);
	/* Replacing keeps the mode of the file it replaces. */
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(hvctl_config_write_binary(c, path, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, sizeof(golden_cell));

	assert_int_equal(hvctl_config_read_file(&back, path, &err), 0);
	assert_memory_equal(back->data, golden_cell, sizeof(golden_cell));
	assert_string_equal(back->source, path);
	hvctl_config_free(back);

	/* No temporary file is left behind. */
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);

	/* A directory that does not exist: an error naming the path. */
	snprintf(bad, sizeof(bad), "%s/missing/rtos.cell", dir);
	assert_int_equal(hvctl_config_write_binary(c, bad, &err), -ENOENT);
	assert_non_null(strstr(err.msg, bad));
	hvctl_config_free(c);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_read_file_detect(void **state)
{
	char dir[] = "/tmp/hvctl-test-XXXXXX";
	struct hvctl_config *c;
	struct hvctl_error err;
	char path[256];
	char *json;
	FILE *f;

	(void)state;
	assert_int_equal(hvctl_config_detect_format("  \n{", 4),
			 HVCTL_CONFIG_FORMAT_JSON);
	assert_int_equal(hvctl_config_detect_format("// x\n{}", 7),
			 HVCTL_CONFIG_FORMAT_JSON);
	assert_int_equal(hvctl_config_detect_format("/* x */{}", 9),
			 HVCTL_CONFIG_FORMAT_JSON);
	assert_int_equal(hvctl_config_detect_format("JHCLL", 5),
			 HVCTL_CONFIG_FORMAT_BINARY);
	assert_int_equal(hvctl_config_detect_format(" \t\r\n", 4),
			 HVCTL_CONFIG_FORMAT_UNKNOWN);

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cell.json", dir);
	assert_int_equal(hvctl_config_parse_binary(&c, golden_cell,
						   sizeof(golden_cell), "g",
						   &err), 0);
	assert_int_equal(hvctl_config_to_json(c, &json, &err), 0);
	hvctl_config_free(c);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "\n// a leading comment\n%s", json);
	fclose(f);
	free(json);
	assert_int_equal(hvctl_config_read_file(&c, path, &err), 0);
	assert_memory_equal(c->data, golden_cell, sizeof(golden_cell));
	hvctl_config_free(c);
	unlink(path);

	assert_int_equal(hvctl_config_read_file(&c, path, &err), -ENOENT);
	assert_null(c);
	assert_non_null(strstr(err.msg, "cell.json: cannot open"));
	assert_int_equal(hvctl_config_read_file(&c, dir, &err), -EISDIR);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- helpers for front ends ---- */

static void test_cpulist_format(void **state)
{
	uint8_t set[8] = { 0x4f, 0x00, 0x01, 0x80, 0, 0, 0, 0xff };
	char buf[64];

	(void)state;
	assert_int_equal(hvctl_cpulist_format(buf, sizeof(buf), set, 8), 17);
	assert_string_equal(buf, "0-3,6,16,31,56-63");
	/* Too small: truncated, NUL-terminated, full length returned. */
	assert_int_equal(hvctl_cpulist_format(buf, 5, set, 8), 17);
	assert_string_equal(buf, "0-3,");
	assert_int_equal(hvctl_cpulist_format(NULL, 0, set, 8), 17);
	memset(set, 0, sizeof(set));
	assert_int_equal(hvctl_cpulist_format(buf, sizeof(buf), set, 8), 0);
	assert_string_equal(buf, "");
	set[1] = 0x06;
	assert_int_equal(hvctl_cpulist_format(buf, sizeof(buf), set, 2), 4);
	assert_string_equal(buf, "9-10");
}

static void test_mem_flags_str(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(hvctl_config_mem_flags_str(buf, sizeof(buf),
						    HV_MEM_READ | HV_MEM_WRITE |
						    HV_MEM_DMA | 0x200000), 23);
	assert_string_equal(buf, "read,write,dma,0x200000");
	hvctl_config_mem_flags_str(buf, sizeof(buf), 0);
	assert_string_equal(buf, "");
	hvctl_config_mem_flags_str(buf, sizeof(buf),
				   HV_MEM_COMM_REGION | HV_MEM_IO_UNALIGNED |
				   HV_MEM_IO_64 | HV_MEM_NO_HUGEPAGES);
	assert_string_equal(buf, "comm_region,no_hugepages,io_unaligned,io_64");
	assert_int_equal(hvctl_config_mem_flags_str(buf, 3, HV_MEM_READ), 4);
	assert_string_equal(buf, "re");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_golden_system),
		cmocka_unit_test(test_golden_cell),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_huge_counts),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_large_cell),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_read_file_detect),
		cmocka_unit_test(test_cpulist_format),
		cmocka_unit_test(test_mem_flags_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
