// SPDX-License-Identifier: MIT
/*
 * JSON config format: every name and number form, the messages for bad
 * input (file, JSON path, reason), and the decompiler's layout.
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

/* A minimal cell; tests append keys before the closing brace. */
#define CELL "{ \"type\": \"cell\", \"architecture\": \"arm64\", " \
	     "\"name\": \"rtos\", \"cpu_set\": \"1\""
#define SYSTEM "{ \"type\": \"system\", \"architecture\": \"arm64\", " \
	       "\"root_cell\": { \"name\": \"root\", \"cpu_set\": \"0-3\" }"

static struct hvctl_config *compile(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static struct hvctl_config *compile(const char *fmt, ...)
{
	struct hvctl_config *config = NULL;
	struct hvctl_error err = { { 0 } };
	char *text;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	assert_true(vasprintf(&text, fmt, ap) >= 0);
	va_end(ap);
	ret = hvctl_config_parse_json(&config, text, "t.json", &err);
	if (ret)
		fail_msg("%s\n(for %s)", err.msg, text);
	free(text);
	return config;
}

/* Compiling must fail with a message holding want. */
static void expect_error(const char *want, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void expect_error(const char *want, const char *fmt, ...)
{
	struct hvctl_config *config = (struct hvctl_config *)&config;
	struct hvctl_error err = { { 0 } };
	char *text;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	assert_true(vasprintf(&text, fmt, ap) >= 0);
	va_end(ap);
	ret = hvctl_config_parse_json(&config, text, "rtos.json", &err);
	if (ret == 0)
		fail_msg("accepted, expected \"%s\":\n%s", want, text);
	assert_true(ret < 0);
	assert_null(config);
	if (strncmp(err.msg, "rtos.json", 9) || !strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"\n(for %s)", err.msg, want,
			 text);
	free(text);
}

static char *to_json(const struct hvctl_config *config)
{
	struct hvctl_error err;
	char *text;

	assert_int_equal(hvctl_config_to_json(config, &text, &err), 0);
	return text;
}

/* ---- names ---- */

struct named {
	const char *name;
	uint64_t value;
};

/* Expected names, typed from configs/README.md and the ABI constants. */
static const struct named mem_flags[] = {
	{ "read", HV_MEM_READ }, { "write", HV_MEM_WRITE },
	{ "execute", HV_MEM_EXECUTE }, { "dma", HV_MEM_DMA },
	{ "io", HV_MEM_IO }, { "comm_region", HV_MEM_COMM_REGION },
	{ "loadable", HV_MEM_LOADABLE }, { "rootshared", HV_MEM_ROOTSHARED },
	{ "no_hugepages", HV_MEM_NO_HUGEPAGES },
	{ "io_unaligned", HV_MEM_IO_UNALIGNED }, { "io_8", HV_MEM_IO_8 },
	{ "io_16", HV_MEM_IO_16 }, { "io_32", HV_MEM_IO_32 },
	{ "io_64", HV_MEM_IO_64 }, { "0x200000", 0x200000 },
	{ "0x8000000000000000", 0x8000000000000000ull },
};
static const struct named cell_flags[] = {
	{ "passive_commreg", HV_CELL_PASSIVE_COMMREG },
	{ "test_device", HV_CELL_TEST_DEVICE }, { "aarch32", HV_CELL_AARCH32 },
	{ "virtual_console_permitted", HV_CELL_VIRTUAL_CONSOLE_PERMITTED },
	{ "virtual_console_active", HV_CELL_VIRTUAL_CONSOLE_ACTIVE },
	{ "0x10", 0x10 },
};
static const struct named console_flags[] = {
	{ "access_mmio", HV_CON_ACCESS_MMIO }, { "regdist_4", HV_CON_REGDIST_4 },
	{ "fb_1920x1080", HV_CON_FB_1920x1080 },
	{ "inverted_gate", HV_CON_INVERTED_GATE },
	{ "mdr_quirk", HV_CON_MDR_QUIRK }, { "0x8000", 0x8000 },
};
static const struct named console_types[] = {
	{ "none", 0 }, { "efifb", 1 }, { "8250", 2 }, { "pl011", 3 },
	{ "xuartps", 4 }, { "mvebu", 5 }, { "hscif", 6 }, { "scifa", 7 },
	{ "imx", 8 }, { "imx_lpuart", 9 }, { "scif", 10 }, { "0x20", 0x20 },
	{ "65535", 0xffff },
};
static const struct named pci_types[] = {
	{ "device", 1 }, { "bridge", 2 }, { "ivshmem", 3 }, { "0", 0 },
};
static const struct named cache_types[] = {
	{ "l3_code", 1 }, { "l3_data", 2 }, { "l3", 3 }, { "0xff", 0xff },
};
static const struct named iommu_types[] = {
	{ "unused", 0 }, { "amd", 1 }, { "intel", 2 }, { "smmuv3", 3 },
	{ "pvu", 4 }, { "arm_mmu500", 5 }, { "0xffffffff", 0xffffffff },
};
static const struct named protocols[] = {
	{ "undefined", 0 }, { "veth", 1 }, { "custom", 0x4000 },
	{ "virtio_front", 0x8000 }, { "virtio_back", 0xc000 },
	{ "0xc003", 0xc003 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_flag_names(void **state)
{
	struct hvctl_config *c;
	size_t i;

	(void)state;
	for (i = 0; i < N(mem_flags); i++) {
		c = compile(CELL ", \"memory_regions\": [ { \"flags\": [\"%s\"] } ] }",
			    mem_flags[i].name);
		assert_int_equal(c->mem[0].flags, mem_flags[i].value);
		hvctl_config_free(c);
		/* The hypervisor's memory takes memory flags too. */
		c = compile(SYSTEM ", \"hypervisor_memory\": { \"flags\": [\"%s\"] } }",
			    mem_flags[i].name);
		assert_int_equal(c->system->hypervisor_memory.flags,
				 mem_flags[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(cell_flags); i++) {
		c = compile(CELL ", \"flags\": [\"%s\"] }", cell_flags[i].name);
		assert_int_equal(c->cell->flags, cell_flags[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(console_flags); i++) {
		c = compile(CELL ", \"console\": { \"flags\": [\"%s\"] } }",
			    console_flags[i].name);
		assert_int_equal(c->cell->console.flags, console_flags[i].value);
		hvctl_config_free(c);
	}
	c = compile(SYSTEM ", \"flags\": [\"virtual_debug_console\", \"0x4\"] }");
	assert_int_equal(c->system->flags, HV_SYS_VIRTUAL_DEBUG_CONSOLE | 4);
	hvctl_config_free(c);
	c = compile(CELL ", \"cache_regions\": [ { \"flags\": [\"rootshared\"] } ],"
		    " \"pci_caps\": [ { \"flags\": [\"write\", 4] } ] }");
	assert_int_equal(c->cache[0].flags, HV_CACHE_ROOTSHARED);
	assert_int_equal(c->pci_caps[0].flags, HV_PCICAPS_WRITE | 4);
	hvctl_config_free(c);

	/* All names together, as the decompiler writes them, in one array. */
	c = compile(CELL ", \"flags\": [\"passive_commreg\", \"test_device\","
		    " \"aarch32\", \"virtual_console_permitted\","
		    " \"virtual_console_active\"] }");
	assert_int_equal(c->cell->flags, 0xc0000007);
	hvctl_config_free(c);

	expect_error("rtos.json: flags: unknown flag \"pasive_commreg\" (known: passive_commreg, test_device",
		     CELL ", \"flags\": [\"pasive_commreg\"] }");
	expect_error("memory_regions[0].flags: unknown flag \"reda\"",
		     CELL ", \"memory_regions\": [ { \"flags\": [\"reda\"] } ] }");
	expect_error("flags: bits 0x100000000 do not fit in the 32-bit field",
		     CELL ", \"flags\": [\"0x100000000\"] }");
	expect_error("console.flags: bits 0x10000 do not fit in the 16-bit field",
		     CELL ", \"console\": { \"flags\": [\"0x10000\"] } }");
	expect_error("flags: expected an array of flag names, found a string",
		     CELL ", \"flags\": \"read\" }");
	expect_error("flags must be names or \"0x...\" strings, found an object",
		     CELL ", \"flags\": [ {} ] }");
}

static void test_enum_names(void **state)
{
	struct hvctl_config *c;
	size_t i;

	(void)state;
	for (i = 0; i < N(console_types); i++) {
		c = compile(CELL ", \"console\": { \"type\": \"%s\" } }",
			    console_types[i].name);
		assert_int_equal(c->cell->console.type, console_types[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(pci_types); i++) {
		c = compile(CELL ", \"pci_devices\": [ { \"type\": \"%s\" } ] }",
			    pci_types[i].name);
		assert_int_equal(c->pci[0].type, pci_types[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(cache_types); i++) {
		c = compile(CELL ", \"cache_regions\": [ { \"type\": \"%s\" } ] }",
			    cache_types[i].name);
		assert_int_equal(c->cache[0].type, cache_types[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(iommu_types); i++) {
		c = compile(SYSTEM ", \"platform_info\": { \"iommu_units\": ["
			    " {}, { \"type\": \"%s\" } ] } }", iommu_types[i].name);
		assert_int_equal(c->system->platform_info.iommu_units[1].type,
				 iommu_types[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(protocols); i++) {
		c = compile(CELL ", \"pci_devices\": [ { \"shmem_protocol\": \"%s\" } ] }",
			    protocols[i].name);
		assert_int_equal(c->pci[0].shmem_protocol, protocols[i].value);
		hvctl_config_free(c);
	}
	c = compile("{ \"type\": \"cell\", \"architecture\": \"x86\", \"name\": \"a\", \"cpu_set\": \"\" }");
	assert_int_equal(c->architecture, HV_ARCH_X86);
	assert_int_equal(c->cell->architecture, HV_ARCH_X86);
	hvctl_config_free(c);
	c = compile("{ \"type\": \"cell\", \"architecture\": 1, \"name\": \"a\", \"cpu_set\": \"\" }");
	assert_int_equal(c->architecture, HV_ARCH_ARM);
	hvctl_config_free(c);

	expect_error("console.type: unknown value \"pl012\" (known: none, efifb, 8250, pl011",
		     CELL ", \"console\": { \"type\": \"pl012\" } }");
	expect_error("pci_devices[0].type: value 0x100 does not fit in 8 bits (maximum 0xff)",
		     CELL ", \"pci_devices\": [ { \"type\": 256 } ] }");
	expect_error("rtos.json: architecture: unknown value \"mips\"",
		     "{ \"type\": \"cell\", \"architecture\": \"mips\" }");
	expect_error("rtos.json: architecture: unknown architecture 3",
		     "{ \"type\": \"cell\", \"architecture\": 3 }");
}

/* ---- numbers ---- */

static void test_numbers(void **state)
{
	static const struct {
		const char *text;
		uint64_t value;
	} good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "\"4096\"", 4096 },
		{ "\"0x7fc00000\"", 0x7fc00000 }, { "\"0X1F\"", 0x1f },
		{ "\"4K\"", 4096 }, { "\"64k\"", 0x10000 }, { "\"1M\"", 1 << 20 },
		{ "\"2G\"", 2ull << 30 }, { "\"16383G\"", 16383ull << 30 },
		{ "\"0xffffffffffffffff\"", UINT64_MAX },
		{ "\"18446744073709551615\"", UINT64_MAX },
		{ "9223372036854775807", INT64_MAX },
		{ "\"010\"", 10 },
	};
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "\"4KB\"", "bad number \"4KB\"" },
		{ "\"0x\"", "bad number \"0x\"" },
		{ "\"\"", "bad number \"\"" },
		{ "\"-1\"", "bad number \"-1\"" },
		{ "\" 1\"", "bad number \" 1\"" },
		{ "\"1.5\"", "bad number \"1.5\"" },
		{ "\"0x1g\"", "bad number \"0x1g\"" },
		{ "-1", "value -1 is negative" },
		{ "1.5", "expected a number, found a fractional number" },
		{ "true", "expected a number, found a boolean" },
		{ "null", "size: null is not a value here" },
		{ "[]", "expected a number, found an array" },
		{ "\"0x10000000000000000\"", "does not fit in 64 bits" },
		{ "\"18446744073709551616\"", "does not fit in 64 bits" },
		{ "\"17179869184G\"", "does not fit in 64 bits" },
		{ "18446744073709551615", "too large for JSON; write it as a \"0x...\" string" },
		{ "18446744073709551616", "too large for JSON" },
	};
	struct hvctl_config *c;
	size_t i;

	(void)state;
	for (i = 0; i < N(good); i++) {
		c = compile(CELL ", \"memory_regions\": [ { \"size\": %s } ] }",
			    good[i].text);
		assert_int_equal(c->mem[0].size, good[i].value);
		hvctl_config_free(c);
	}
	for (i = 0; i < N(bad); i++)
		expect_error(bad[i].want,
			     CELL ", \"memory_regions\": [ {}, { \"size\": %s } ] }",
			     bad[i].text);

	/* Each field's width is checked, naming the field. */
	expect_error("rtos.json: memory_regions[1].size: bad number",
		     CELL ", \"memory_regions\": [ {}, { \"size\": \"x\" } ] }");
	expect_error("rtos.json: cache_regions[0].padding: value 0x100 does not fit in 8 bits",
		     CELL ", \"cache_regions\": [ { \"padding\": 256 } ] }");
	expect_error("rtos.json: pio_regions[0].base: value 0x10000 does not fit in 16 bits (maximum 0xffff)",
		     CELL ", \"pio_regions\": [ { \"base\": \"64K\" } ] }");
	expect_error("rtos.json: console.size: value 0x100000000 does not fit in 32 bits",
		     CELL ", \"console\": { \"size\": \"4G\" } }");
	expect_error("rtos.json: id: value 0x100000000 does not fit in 32 bits",
		     CELL ", \"id\": 4294967296 }");
	expect_error("rtos.json: root_cell.vpci_irq_base: value 0x100000000",
		     "{ \"type\": \"system\", \"architecture\": \"arm\", \"root_cell\": { \"name\": \"r\", \"cpu_set\": \"0\", \"vpci_irq_base\": \"4G\" } }");
	expect_error("rtos.json: platform_info.pci_mmconfig_end_bus: value 0x100 does not fit in 8 bits",
		     SYSTEM ", \"platform_info\": { \"pci_mmconfig_end_bus\": 256 } }");
	expect_error("rtos.json: platform_info.arm.maintenance_irq: value 0x100",
		     SYSTEM ", \"platform_info\": { \"arm\": { \"maintenance_irq\": 256 } } }");
	expect_error("rtos.json: pci_caps[0].id: value 0x10000 does not fit in 16 bits",
		     CELL ", \"pci_caps\": [ { \"id\": \"0x10000\" } ] }");
	expect_error("rtos.json: stream_ids[1]: value 0x100000000 does not fit in 32 bits",
		     CELL ", \"stream_ids\": [ 1, \"0x100000000\" ] }");
	expect_error("rtos.json: pci_devices[0].bar_mask[5]: value 0x100000000",
		     CELL ", \"pci_devices\": [ { \"bar_mask\": [0, 0, 0, 0, 0, \"4G\"] } ] }");
}

/* ---- keys and structure ---- */

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_error("rtos.json: memory_regions[2]: unknown key \"flgas\"",
		     CELL ", \"memory_regions\": [ {}, {}, { \"flgas\": [] } ] }");
	expect_error("rtos.json: unknown key \"nmae\"", CELL ", \"nmae\": 1 }");
	expect_error("rtos.json: console: unknown key \"baud\"",
		     CELL ", \"console\": { \"baud\": 1 } }");
	expect_error("rtos.json: root_cell.irqchips[0]: unknown key \"pins\"",
		     "{ \"type\": \"system\", \"architecture\": \"arm64\", \"root_cell\": { \"name\": \"r\", \"cpu_set\": \"0\", \"irqchips\": [ { \"pins\": 1 } ] } }");
	expect_error("rtos.json: platform_info.arm: unknown key \"gice_base\"",
		     SYSTEM ", \"platform_info\": { \"arm\": { \"gice_base\": 0 } } }");
	expect_error("rtos.json: platform_info.iommu_units[1]: unknown key \"bdf\"",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ {}, { \"bdf\": 1 } ] } }");
	expect_error("rtos.json: pci_devices[0]: unknown key \"msi64\"",
		     CELL ", \"pci_devices\": [ { \"msi64\": true } ] }");
	expect_error("rtos.json: hypervisor_memory: unknown key \"start\"",
		     SYSTEM ", \"hypervisor_memory\": { \"start\": 0 } }");
	/* Keys of one kind of file are unknown in the other. */
	expect_error("rtos.json: unknown key \"signature\"",
		     CELL ", \"signature\": \"JHCLL\" }");
	expect_error("rtos.json: unknown key \"name\"",
		     SYSTEM ", \"name\": \"x\" }");
	expect_error("rtos.json: unknown key \"root_cell\"",
		     CELL ", \"root_cell\": {} }");
	expect_error("rtos.json: memory_regions[0]: expected a memory region object, found an integer",
		     CELL ", \"memory_regions\": [ 5 ] }");
	expect_error("rtos.json: memory_regions: expected an array, found an object",
		     CELL ", \"memory_regions\": {} }");
	expect_error("rtos.json: platform_info.x86: does not match architecture \"arm64\"; use \"arm\"",
		     SYSTEM ", \"platform_info\": { \"x86\": {} } }");
	expect_error("rtos.json: platform_info.arm: does not match architecture \"x86\"; use \"x86\"",
		     "{ \"type\": \"system\", \"architecture\": \"x86\", \"root_cell\": { \"name\": \"r\", \"cpu_set\": \"0\" }, \"platform_info\": { \"arm\": {} } }");
	expect_error("platform_info.iommu_units[0].amd_bdf: only for IOMMUs of type \"amd\"",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ { \"type\": \"smmuv3\", \"amd_bdf\": 1 } ] } }");
	expect_error("platform_info.iommu_units[0].tipvu_tlb_base: only for IOMMUs of type \"pvu\"",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ { \"tipvu_tlb_base\": 1 } ] } }");
	expect_error("platform_info.iommu_units[0].raw: type \"pvu\" uses every byte",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ { \"type\": \"pvu\", \"raw\": \"00\" } ] } }");
	expect_error("platform_info.iommu_units[0].raw: expected 8 hex digits (4 bytes), found 24 characters",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ { \"type\": \"amd\", \"raw\": \"000000000000000000000000\" } ] } }");
	expect_error("platform_info.iommu_units[0].raw: \"0000000000000000000000zz\" is not a hex byte string",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ { \"raw\": \"0000000000000000000000zz\" } ] } }");
	expect_error("platform_info.iommu_units: 9 units; the format has room for 8",
		     SYSTEM ", \"platform_info\": { \"iommu_units\": [ {}, {}, {}, {}, {}, {}, {}, {}, {} ] } }");
	expect_error("pci_devices[0].padding: bits 0x3 of this byte are msi_64bits and msi_maskable",
		     CELL ", \"pci_devices\": [ { \"padding\": 1 } ] }");
	expect_error("pci_devices[0].msi_64bits: expected true or false, found an integer",
		     CELL ", \"pci_devices\": [ { \"msi_64bits\": 1 } ] }");
}

static void test_top_level(void **state)
{
	(void)state;
	expect_error("rtos.json: missing key \"type\"", "{ \"architecture\": \"arm64\" }");
	expect_error("rtos.json: type: \"vm\" is neither \"system\" nor \"cell\"",
		     "{ \"type\": \"vm\" }");
	expect_error("rtos.json: missing key \"architecture\"", "{ \"type\": \"cell\" }");
	expect_error("rtos.json: revision: revision 13 is not supported; only 14",
		     CELL ", \"revision\": 13 }");
	expect_error("rtos.json: missing key \"root_cell\"",
		     "{ \"type\": \"system\", \"architecture\": \"arm64\" }");
	expect_error("rtos.json: missing key \"name\"",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\" }");
	expect_error("rtos.json: root_cell: missing key \"cpu_set\"",
		     "{ \"type\": \"system\", \"architecture\": \"arm64\", \"root_cell\": { \"name\": \"r\" } }");
	expect_error("rtos.json: expected a JSON object at the top, found an array", "[1]");
	expect_error("rtos.json:3:3: JSON syntax error",
		     "{\n  \"type\": \"cell\",\n  oops }");
	expect_error("rtos.json: JSON text ends early", "{ \"type\": ");
	expect_error("rtos.json: JSON text ends early", "%s", "  ");
	expect_error("rtos.json:2:1: unexpected text after the JSON object",
		     CELL " }\n} // extra");
}

/* Finding 3: comm regions as the hypervisor provides them, nothing else. */
static void test_comm_regions(void **state)
{
	(void)state;
	expect_error("rtos.json: memory_regions[0].phys_start: a comm_region has no physical memory of its own",
		     CELL ", \"memory_regions\": [ { \"phys_start\": \"0x7fc00000\","
		     " \"virt_start\": \"0x80000000\", \"size\": \"4K\","
		     " \"flags\": [\"read\", \"write\", \"comm_region\"] } ] }");
	expect_error("rtos.json: memory_regions[1].flags: a comm_region cannot be loadable",
		     CELL ", \"memory_regions\": [ {}, { \"virt_start\": \"0x80000000\", \"size\": \"4K\","
		     " \"flags\": [\"read\", \"comm_region\", \"loadable\"] } ] }");
	expect_error("rtos.json: memory_regions[0].flags: a comm_region cannot be io",
		     CELL ", \"memory_regions\": [ { \"virt_start\": \"0x80000000\", \"size\": \"4K\","
		     " \"flags\": [\"comm_region\", \"io\"] } ] }");
	expect_error("rtos.json: root_cell.memory_regions[0].flags: a comm_region cannot be rootshared",
		     "{ \"type\": \"system\", \"architecture\": \"arm64\", \"root_cell\": { \"name\": \"r\","
		     " \"cpu_set\": \"0\", \"memory_regions\": [ { \"virt_start\": \"0x80000000\","
		     " \"size\": \"4K\", \"flags\": [\"comm_region\", \"rootshared\"] } ] } }");
	/* As upstream writes them: no address, read and write. */
	hvctl_config_free(compile(CELL ", \"memory_regions\": [ { \"virt_start\": \"0x80000000\","
				  " \"size\": \"4K\", \"flags\": [\"read\", \"write\", \"comm_region\"] } ] }"));
}

static void test_names(void **state)
{
	struct hvctl_config *c;

	(void)state;
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		    " \"name\": \"abcdefghijklmnopqrstuvwxyz01234\" }");
	assert_string_equal(c->cell->name, "abcdefghijklmnopqrstuvwxyz01234");
	hvctl_config_free(c);
	expect_error("rtos.json: name: \"abcdefghijklmnopqrstuvwxyz012345\" is 32 bytes long; cell names have at most 31",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		     " \"name\": \"abcdefghijklmnopqrstuvwxyz012345\" }");
	expect_error("rtos.json: name: must be non-empty text",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\", \"name\": \"\" }");
	expect_error("rtos.json: name: must be non-empty text",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\", \"name\": \"a\\u0000b\" }");
	expect_error("rtos.json: name: expected a string, found an integer",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\", \"name\": 5 }");
	expect_error("rtos.json: root_cell.signature: at most 5 bytes",
		     "{ \"type\": \"system\", \"architecture\": \"arm64\", \"root_cell\": { \"name\": \"r\", \"cpu_set\": \"0\", \"signature\": \"JHCELL\" } }");
	expect_error("memory_regions[0].name: region names must be non-empty text",
		     CELL ", \"memory_regions\": [ { \"name\": \"\" } ] }");

	/* Finding 7: names are printable text, as JSON escapes or raw. */
	expect_error("rtos.json: name: byte 1 (0x1b) is a control character; names are printable text",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		     " \"name\": \"r\\u001b]52;c;QQ==\\u0007\" }");
	expect_error("rtos.json: name: byte 2 (0x07) is a control character; names are printable text",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		     " \"name\": \"ab\x07\" }");
	expect_error("rtos.json: name: byte 1 (0xc2) starts no valid UTF-8 character or a control character; names are printable text",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		     " \"name\": \"x\\u009b\" }");
	expect_error("rtos.json: name: byte 3 (0xff) starts no valid UTF-8 character or a control character; names are printable text",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		     " \"name\": \"bad\xff\" }");
	expect_error("rtos.json: root_cell.name: byte 0 (0x0a) is a control character",
		     "{ \"type\": \"system\", \"architecture\": \"arm64\", \"root_cell\": { \"name\": \"\\nroot\", \"cpu_set\": \"0\" } }");
	expect_error("memory_regions[0].name: byte 0 (0x1b) is a control character",
		     CELL ", \"memory_regions\": [ { \"name\": \"\\u001b[2J\" } ] }");
	expect_error("pci_devices[0].name: byte 1 (0x7f) is a control character",
		     CELL ", \"pci_devices\": [ { \"name\": \"a\\u007f\" } ] }");
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"cpu_set\": \"1\","
		    " \"name\": \"caf\u00e9-\xe2\x82\xac\" }");
	assert_string_equal(c->cell->name, "caf\xc3\xa9-\xe2\x82\xac");
	hvctl_config_free(c);

	/* Symbolic names are kept, NULL where there is none. */
	c = compile(CELL ", \"memory_regions\": [ { \"name\": \"ram\" }, {}, { \"name\": \"shm\" } ],"
		    " \"pci_devices\": [ {}, { \"name\": \"net\" } ] }");
	assert_non_null(c->mem_names);
	assert_string_equal(c->mem_names[0], "ram");
	assert_null(c->mem_names[1]);
	assert_string_equal(c->mem_names[2], "shm");
	assert_non_null(c->pci_names);
	assert_null(c->pci_names[0]);
	assert_string_equal(c->pci_names[1], "net");
	hvctl_config_free(c);
	c = compile(CELL ", \"memory_regions\": [ {} ] }");
	assert_null(c->mem_names);
	assert_null(c->pci_names);
	hvctl_config_free(c);
}

/* ---- CPU and interrupt lists ---- */

static void test_cpu_lists(void **state)
{
	struct hvctl_config *c;

	(void)state;
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\","
		    " \"cpu_set\": \" 2-3, 6 ,64\" }");
	assert_int_equal(c->cell->cpu_set_size, 16);
	assert_int_equal(hvctl_config_cpu_count(c), 4);
	assert_true(hvctl_config_has_cpu(c, 64));
	assert_false(hvctl_config_has_cpu(c, 4));
	hvctl_config_free(c);
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\","
		    " \"cpu_set\": \"3-1000,5,1002-1003,1016-1023\" }");
	assert_int_equal(c->cell->cpu_set_size, 128);
	assert_int_equal(hvctl_config_cpu_count(c), 998 + 2 + 8);
	assert_false(hvctl_config_has_cpu(c, 2));
	assert_true(hvctl_config_has_cpu(c, 3));
	assert_true(hvctl_config_has_cpu(c, 8));
	assert_true(hvctl_config_has_cpu(c, 1000));
	assert_false(hvctl_config_has_cpu(c, 1001));
	assert_true(hvctl_config_has_cpu(c, 1003));
	assert_false(hvctl_config_has_cpu(c, 1004));
	assert_false(hvctl_config_has_cpu(c, 1015));
	assert_true(hvctl_config_has_cpu(c, 1023));
	hvctl_config_free(c);
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\","
		    " \"cpu_set\": \"63\" }");
	assert_int_equal(c->cell->cpu_set_size, 8);
	hvctl_config_free(c);
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\","
		    " \"cpu_set\": \"\", \"cpu_set_size\": 0 }");
	assert_int_equal(c->cell->cpu_set_size, 0);
	assert_int_equal(c->size, 132);
	hvctl_config_free(c);
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\","
		    " \"cpu_set\": \"1\", \"cpu_set_size\": 1 }");
	assert_int_equal(c->cell->cpu_set_size, 1);
	assert_int_equal(c->size, 133);
	hvctl_config_free(c);

	expect_error("rtos.json: cpu_set: bad CPU list \"1-\" at \"\"",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"1-\" }");
	expect_error("cpu_set: bad CPU list \"1,,2\" at \",2\"",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"1,,2\" }");
	expect_error("cpu_set: bad CPU list \"one\"",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"one\" }");
	expect_error("cpu_set: bad CPU list \"5-3\": range 5-3 goes backwards",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"5-3\" }");
	expect_error("cpu_set: CPU 64 does not fit in a CPU set of 8 bytes",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"64\", \"cpu_set_size\": 8 }");
	expect_error("cpu_set: CPU 99999999999 does not fit",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"0-99999999999\" }");
	expect_error("cpu_set: bad CPU list \"99999999999999999999999\"",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"99999999999999999999999\" }");
	expect_error("cpu_set_size: 16777217 bytes is over the limit",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": \"\", \"cpu_set_size\": 16777217 }");
	expect_error("cpu_set: expected a string, found an array",
		     "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\", \"cpu_set\": [1] }");
}

static void test_interrupts(void **state)
{
	struct hvctl_config *c;

	(void)state;
	c = compile(CELL ", \"irqchips\": [ { \"pin_base\": 32, \"interrupts\": \"32, 63-64,159\" },"
		    " { \"pin_base\": 160, \"interrupts\": [161, 287] }, { \"pin_base\": 288 } ] }");
	assert_int_equal(c->irqchips[0].pin_bitmap[0], 0x80000001);
	assert_int_equal(c->irqchips[0].pin_bitmap[1], 0x1);
	assert_int_equal(c->irqchips[0].pin_bitmap[3], 0x80000000);
	assert_int_equal(c->irqchips[1].pin_bitmap[0], 0x2);
	assert_int_equal(c->irqchips[1].pin_bitmap[3], 0x80000000);
	assert_int_equal(c->irqchips[2].pin_base, 288);
	assert_int_equal(c->irqchips[2].pin_bitmap[0], 0);
	hvctl_config_free(c);

	expect_error("irqchips[0].interrupts: interrupt 31 is outside this irqchip's range 32-159",
		     CELL ", \"irqchips\": [ { \"pin_base\": 32, \"interrupts\": \"31-33\" } ] }");
	expect_error("irqchips[0].interrupts: interrupt 160 is outside",
		     CELL ", \"irqchips\": [ { \"pin_base\": 32, \"interrupts\": \"150-160\" } ] }");
	expect_error("irqchips[0].interrupts[1]: interrupt 200 is outside",
		     CELL ", \"irqchips\": [ { \"pin_base\": 32, \"interrupts\": [33, 200] } ] }");
	expect_error("irqchips[0].interrupts: bad interrupt list \"33;34\"",
		     CELL ", \"irqchips\": [ { \"pin_base\": 32, \"interrupts\": \"33;34\" } ] }");
	expect_error("irqchips[0].interrupts: expected a list string or an array of numbers",
		     CELL ", \"irqchips\": [ { \"interrupts\": 33 } ] }");
}

/* ---- PCI ---- */

static void test_pci(void **state)
{
	static const uint32_t intx[6] = { 0xfffff000 };
	static const uint32_t msix_64k[6] = { 0xffff0000, 0xffff0000 };
	struct hvctl_config *c;
	uint32_t masks[6];

	(void)state;
	c = compile(CELL ", \"memory_regions\": [ { \"name\": \"a\" }, { \"name\": \"state\" }, { \"name\": \"7\" } ],"
		    " \"pci_devices\": ["
		    " { \"bdf\": \"00:01.0\", \"bar_mask\": \"intx\", \"shmem_regions_start\": \"state\" },"
		    " { \"bdf\": \"ff:1f.7\", \"bar_mask\": \"msix_64k\", \"shmem_regions_start\": \"7\" },"
		    " { \"bdf\": 16, \"bar_mask\": [1, 2, 3, 4, 5, \"0xffffffff\"], \"shmem_regions_start\": 2,"
		    "   \"msi_64bits\": true, \"msi_maskable\": false, \"padding\": \"0xfc\" } ] }");
	assert_int_equal(c->pci[0].bdf, 0x0008);
	memcpy(masks, c->pci[0].bar_mask, sizeof(masks));
	assert_memory_equal(masks, intx, sizeof(masks));
	assert_int_equal(c->pci[0].shmem_regions_start, 1);
	assert_int_equal(c->pci[1].bdf, 0xffff);
	memcpy(masks, c->pci[1].bar_mask, sizeof(masks));
	assert_memory_equal(masks, msix_64k, sizeof(masks));
	/* A string that reads as a number is an index, not a name. */
	assert_int_equal(c->pci[1].shmem_regions_start, 7);
	assert_int_equal(c->pci[2].bdf, 16);
	assert_int_equal(c->pci[2].bar_mask[5], 0xffffffff);
	assert_int_equal(c->pci[2].msi_flags, 0xfd);
	hvctl_config_free(c);

	expect_error("pci_devices[0].shmem_regions_start: no memory region is named \"stat\"",
		     CELL ", \"memory_regions\": [ { \"name\": \"state\" } ],"
		     " \"pci_devices\": [ { \"shmem_regions_start\": \"stat\" } ] }");
	expect_error("pci_devices[0].shmem_regions_start: region name \"x\" is ambiguous (memory_regions[0] and [2])",
		     CELL ", \"memory_regions\": [ { \"name\": \"x\" }, {}, { \"name\": \"x\" } ],"
		     " \"pci_devices\": [ { \"shmem_regions_start\": \"x\" } ] }");
	expect_error("pci_devices[0].bdf: bad PCI address \"00:20.0\": device is at most 1f",
		     CELL ", \"pci_devices\": [ { \"bdf\": \"00:20.0\" } ] }");
	expect_error("pci_devices[0].bdf: bad PCI address \"0:1\"",
		     CELL ", \"pci_devices\": [ { \"bdf\": \"0:1\" } ] }");
	expect_error("pci_devices[0].bdf: bad PCI address \"00:01.0x\"",
		     CELL ", \"pci_devices\": [ { \"bdf\": \"00:01.0x\" } ] }");
	expect_error("pci_devices[0].bdf: value 0x10000 does not fit in 16 bits",
		     CELL ", \"pci_devices\": [ { \"bdf\": 65536 } ] }");
	expect_error("pci_devices[0].bar_mask: unknown preset \"msi\"",
		     CELL ", \"pci_devices\": [ { \"bar_mask\": \"msi\" } ] }");
	expect_error("pci_devices[0].bar_mask: expected a preset name or an array of 6 masks",
		     CELL ", \"pci_devices\": [ { \"bar_mask\": [1, 2] } ] }");
}

/* ---- the decompiler ---- */

static void assert_before(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	if (!pa || !pb || pa >= pb)
		fail_msg("expected %s before %s in:\n%s", a, b, text);
}

static void test_decompiler_layout(void **state)
{
	struct hvctl_config *c;
	char *text;

	(void)state;
	c = compile(CELL ", \"flags\": [\"passive_commreg\"],"
		    " \"memory_regions\": [ { \"name\": \"ram\", \"phys_start\": \"0x7f000000\", \"size\": \"0x100000\","
		    " \"flags\": [\"read\", \"write\", \"0x200000\"] },"
		    " { \"phys_start\": 4096, \"virt_start\": \"0x1000\", \"size\": 4097 } ],"
		    " \"pci_devices\": [ { \"name\": \"net\", \"type\": \"ivshmem\", \"bar_mask\": \"msix\","
		    "   \"shmem_regions_start\": \"ram\", \"shmem_protocol\": \"0xc003\" } ],"
		    " \"console\": { \"type\": \"pl011\" },"
		    " \"irqchips\": [ { \"pin_base\": 32, \"interrupts\": [33, 34, 35, 40] } ] }");
	text = to_json(c);
	assert_non_null(strstr(text, "\"type\": \"cell\""));
	assert_non_null(strstr(text, "\"architecture\": \"arm64\""));
	assert_non_null(strstr(text, "\"revision\": 14"));
	assert_non_null(strstr(text, "{ \"name\": \"ram\", \"phys_start\": \"0x7f000000\", \"virt_start\": 0, \"size\": \"1M\", \"flags\": [\"read\", \"write\", \"0x200000\"] }"));
	assert_non_null(strstr(text, "\"size\": \"0x1001\""));
	assert_non_null(strstr(text, "\"virt_start\": \"0x1000\""));
	assert_non_null(strstr(text, "\"interrupts\": \"33-35,40\""));
	assert_non_null(strstr(text, "\"bar_mask\": \"msix\""));
	assert_non_null(strstr(text, "\"shmem_regions_start\": \"ram\""));
	assert_non_null(strstr(text, "\"shmem_protocol\": \"0xc003\""));
	assert_non_null(strstr(text, "\"bdf\": \"00:00.0\""));
	assert_non_null(strstr(text, "\"flags\": [\"passive_commreg\"]"));
	assert_null(strstr(text, "cpu_set_size"));
	assert_null(strstr(text, "padding"));
	assert_null(strstr(text, "signature"));
	/* Stable order: the binary's field order. */
	assert_before(text, "\"type\"", "\"architecture\"");
	assert_before(text, "\"revision\"", "\"name\"");
	assert_before(text, "\"name\"", "\"flags\"");
	assert_before(text, "\"flags\"", "\"cpu_set\"");
	assert_before(text, "\"cpu_set\"", "\"console\"");
	assert_before(text, "\"console\"", "\"memory_regions\"");
	assert_before(text, "\"memory_regions\"", "\"irqchips\"");
	assert_before(text, "\"irqchips\"", "\"pci_devices\"");
	free(text);
	hvctl_config_free(c);

	/* A non-default CPU set size is kept; sizes use G where exact. */
	c = compile("{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"a\","
		    " \"cpu_set\": \"1\", \"cpu_set_size\": 16,"
		    " \"memory_regions\": [ { \"size\": \"3G\" }, { \"size\": \"1536M\" } ] }");
	text = to_json(c);
	assert_non_null(strstr(text, "\"cpu_set_size\": 16"));
	assert_non_null(strstr(text, "\"size\": \"3G\""));
	assert_non_null(strstr(text, "\"size\": \"1536M\""));
	free(text);
	hvctl_config_free(c);

	/* System: root cell header only when set; the platform by arch. */
	c = compile(SYSTEM ", \"platform_info\": { \"arm\": { \"gic_version\": 3 } } }");
	text = to_json(c);
	assert_non_null(strstr(text, "\"gic_version\": 3"));
	assert_null(strstr(text, "\"x86\""));
	assert_null(strstr(text, "iommu_units"));
	assert_null(strstr(text, "signature"));
	assert_before(text, "\"hypervisor_memory\"", "\"debug_console\"");
	assert_before(text, "\"debug_console\"", "\"platform_info\"");
	assert_before(text, "\"platform_info\"", "\"root_cell\"");
	free(text);
	hvctl_config_free(c);
}

/* Bytes that JSON cannot name directly still come out and go back in. */
static void test_decompiler_odd_bytes(void **state)
{
	struct hvctl_config *c, *again;
	struct hvctl_error err;
	uint8_t *data;
	char *text;

	(void)state;
	c = compile("{ \"type\": \"system\", \"architecture\": \"x86\","
		    " \"root_cell\": { \"name\": \"r\", \"cpu_set\": \"0\","
		    " \"cache_regions\": [ {} ], \"pci_devices\": [ {} ] } }");
	data = malloc(c->size);
	assert_non_null(data);
	memcpy(data, c->data, c->size);
	data[356 + 0] = 'Z';			/* root cell signature */
	data[356 + 6] = 3;			/* root cell revision */
	data[315] = 0x44;			/* x86 padding */
	data[340] = 0x55;			/* x86 leftover bytes */
	data[88 + 16] = 0x66;			/* IOMMU 0 union, type unused */
	data[496 + 9] = 0x77;			/* cache padding */
	data[508 + 35] = 0x80;			/* PCI msi_flags bit 7 */
	hvctl_config_free(c);
	assert_int_equal(hvctl_config_parse_binary(&c, data, 564, "odd.cell",
						   &err), 0);
	text = to_json(c);
	assert_non_null(strstr(text, "\"signature\": \"Z\""));
	assert_non_null(strstr(text, "\"revision\": 3"));
	assert_non_null(strstr(text, "\"padding\": \"0x44\""));
	assert_non_null(strstr(text, "\"raw\": \"00000000000000000000000055000000000000000000000000000000\""));
	assert_non_null(strstr(text, "\"raw\": \"660000000000000000000000\""));
	assert_non_null(strstr(text, "\"padding\": \"0x77\""));
	assert_non_null(strstr(text, "\"padding\": \"0x80\""));
	assert_int_equal(hvctl_config_parse_json(&again, text, "odd.json", &err), 0);
	assert_int_equal(again->size, 564);
	assert_memory_equal(again->data, data, 564);
	free(text);
	free(data);
	hvctl_config_free(again);
	hvctl_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flag_names),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_top_level),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_comm_regions),
		cmocka_unit_test(test_cpu_lists),
		cmocka_unit_test(test_interrupts),
		cmocka_unit_test(test_pci),
		cmocka_unit_test(test_decompiler_layout),
		cmocka_unit_test(test_decompiler_odd_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
