// SPDX-License-Identifier: MIT
/*
 * hvctl_config_check(): one fixture per rule (tests/fixtures/check/),
 * asserting the exact findings (file, JSON path, both objects and their
 * ranges); the shipped config sets are clean; the overlap and backing
 * sweeps agree with brute force on random layouts.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hvctl/config.h>

#define FIXTURES	HVCTL_SOURCE_DIR "/tests/fixtures/check/"

struct expect {
	const char *file;
	const char *path;
	const char *message;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		fail_msg("cannot open %s", path);
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Parse JSON text; the name is what findings will call the file. */
static struct hvctl_config *parse(const char *text, const char *name)
{
	struct hvctl_error err = { .msg = "" };
	struct hvctl_config *c = NULL;

	if (hvctl_config_parse_json(&c, text, name, &err))
		fail_msg("%s: %s", name, err.msg);
	return c;
}

/* dir + name, parsed; findings call it by name alone. */
static struct hvctl_config *read_config(const char *dir, const char *name)
{
	char path[512];
	char *text;
	struct hvctl_config *c;

	snprintf(path, sizeof(path), "%s%s", dir, name);
	text = slurp(path);
	c = parse(text, name);
	free(text);
	return c;
}

/* A fixture, named by its file name only (stable across checkouts). */
static struct hvctl_config *fixture(const char *name)
{
	return read_config(FIXTURES, name);
}

static struct hvctl_config *shipped(const char *rel)
{
	return read_config(HVCTL_SOURCE_DIR "/", rel);
}

static void dump(const struct hvctl_findings *f)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		print_message("  got: %s | %s | %s\n", f->items[i].file,
			      f->items[i].path, f->items[i].message);
}

static void assert_findings(const struct hvctl_config *sys,
			    struct hvctl_config **cells, size_t num_cells,
			    const struct expect *exp, size_t num_exp)
{
	struct hvctl_findings *f = NULL;
	size_t i;

	assert_int_equal(hvctl_config_check(sys,
		(const struct hvctl_config *const *)cells, num_cells, &f), 0);
	assert_non_null(f);
	if (f->count != num_exp) {
		dump(f);
		fail_msg("%zu findings, expected %zu", f->count, num_exp);
	}
	for (i = 0; i < num_exp; i++) {
		if (strcmp(f->items[i].file, exp[i].file) ||
		    strcmp(f->items[i].path, exp[i].path) ||
		    strcmp(f->items[i].message, exp[i].message)) {
			dump(f);
			fail_msg("finding %zu: expected %s | %s | %s", i,
				 exp[i].file, exp[i].path, exp[i].message);
		}
	}
	hvctl_findings_free(f);
}

/* Check the system fixture with the named cell fixtures. */
static void check_system_cells(const char *system, const char *const *names,
			       size_t n, const struct expect *exp,
			       size_t num_exp)
{
	struct hvctl_config *sys = fixture(system);
	struct hvctl_config *cells[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		cells[i] = fixture(names[i]);
	assert_findings(sys, cells, n, exp, num_exp);
	for (i = 0; i < n; i++)
		hvctl_config_free(cells[i]);
	hvctl_config_free(sys);
}

/* Check base-system.json with the named cell fixtures. */
static void check_cells(const char *const *names, size_t n,
			const struct expect *exp, size_t num_exp)
{
	check_system_cells("base-system.json", names, n, exp, num_exp);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* One cell fixture against base-system.json. */
#define CHECK_ONE(fixture_name, ...)					\
	do {								\
		static const char *const names_[] = { fixture_name };	\
		static const struct expect exp_[] = { __VA_ARGS__ };	\
		check_cells(names_, 1, exp_, N(exp_));			\
	} while (0)

static void base__clean(void **state)
{
	static const char *const cell[] = { "base-cell.json" };
	static const char *const link[] = { "ivshmem-ok.json" };

	(void)state;
	/* Both use CPU 1, so each is checked on its own. */
	check_cells(cell, 1, NULL, 0);
	check_cells(link, 1, NULL, 0);
}

static void memory__phys_overlap(void **state)
{
	(void)state;
	CHECK_ONE("overlap-phys.json",
		{ "overlap-phys.json", "memory_regions[1]",
		  "memory_regions[1] (\"ram\", phys 0x7f000000-0x7f0fffff) overlaps memory_regions[0] (\"uart\", phys 0x7f080000-0x7f080fff)" });
}

static void memory__virt_overlap(void **state)
{
	(void)state;
	CHECK_ONE("overlap-virt.json",
		{ "overlap-virt.json", "memory_regions[1]",
		  "memory_regions[1] (\"comm\", virt 0x7ffff000-0x7fffffff) overlaps memory_regions[0] (\"ram\", virt 0x7ff00000-0x7fffffff)" });
}

static void memory__hypervisor_overlap(void **state)
{
	static const struct expect exp[] = {
		{ "system-hv-overlap.json", "root_cell.memory_regions[0]",
		  "root_cell.memory_regions[0] (\"ram\", phys 0x40000000-0x7fffffff) overlaps hypervisor_memory (phys 0x7fc00000-0x7fffffff)" },
	};

	(void)state;
	check_system_cells("system-hv-overlap.json", NULL, 0, exp, N(exp));
}

static void memory__not_backed(void **state)
{
	(void)state;
	CHECK_ONE("unbacked.json",
		{ "unbacked.json", "memory_regions[0]",
		  "memory_regions[0] (\"ram\", phys 0x7f980000-0x7fa7ffff) is not backed by root-cell memory: phys 0x7fa00000-0x7fa7ffff is outside every region of base-system.json: root_cell.memory_regions" });
}

static void memory__wraps(void **state)
{
	(void)state;
	CHECK_ONE("wrap.json",
		{ "wrap.json", "memory_regions[0]",
		  "memory_regions[0] (\"huge\", phys 0xfffffffffffff000 size 0x2000) runs past the end of the 64-bit physical address space" });
}

static void cpus__outside_system(void **state)
{
	(void)state;
	CHECK_ONE("cpu-outside.json",
		{ "cpu-outside.json", "cpu_set",
		  "cpu_set (3-5): CPUs 4-5 are not in the system (base-system.json: root_cell.cpu_set 0-3)" });
}

static void cpus__claimed_twice(void **state)
{
	static const char *const names[] = { "cpu-twice-a.json",
					      "cpu-twice-b.json" };
	static const struct expect exp[] = {
		{ "cpu-twice-b.json", "cpu_set",
		  "cpu_set (1-2): CPU 2 is also claimed by cpu-twice-a.json: cpu_set (2)" },
	};

	(void)state;
	check_cells(names, 2, exp, N(exp));
}

static void cpus__empty(void **state)
{
	(void)state;
	CHECK_ONE("cpu-empty.json",
		{ "cpu-empty.json", "cpu_set",
		  "cpu_set is empty: the cell has no CPU" });
}

static void cpus__set_size(void **state)
{
	(void)state;
	CHECK_ONE("cpu-set-size.json",
		{ "cpu-set-size.json", "cpu_set_size",
		  "cpu_set_size (4104 bytes) is over the hypervisor's limit of 4096 bytes" });
}

static void cpus__x86_cpu0(void **state)
{
	static const char *const names[] = { "x86-cpu0.json" };
	static const struct expect exp[] = {
		{ "x86-cpu0.json", "cpu_set",
		  "cpu_set (0-1): CPU 0 cannot leave the root cell on x86" },
	};

	(void)state;
	check_system_cells("system-x86.json", names, 1, exp, N(exp));
}

static void irq__pin_base(void **state)
{
	(void)state;
	CHECK_ONE("irq-pin-base.json",
		{ "irq-pin-base.json", "irqchips[0]",
		  "irqchips[0] (address 0x8000000, pin_base 40): pin_base is not a multiple of 32" });
}

static void irq__outside_gic(void **state)
{
	(void)state;
	CHECK_ONE("irq-range.json",
		{ "irq-range.json", "irqchips[0]",
		  "irqchips[0] (address 0x8000000, pin_base 0): IRQ 27 is outside the GIC's SPI range 32-1019" },
		{ "irq-range.json", "irqchips[1]",
		  "irqchips[1] (address 0x8000000, pin_base 992): IRQs 1020-1021 are outside the GIC's SPI range 32-1019" });
}

static void irq__not_owned_by_root(void **state)
{
	(void)state;
	CHECK_ONE("irq-unowned.json",
		{ "irq-unowned.json", "irqchips[0]",
		  "irqchips[0] (address 0x8000000, pin_base 128): IRQs 160-161,200 are not owned by the root cell (base-system.json: root_cell.irqchips)" });
}

static void irq__claimed_twice(void **state)
{
	static const char *const names[] = { "irq-twice-a.json",
					      "irq-twice-b.json" };
	static const struct expect exp[] = {
		{ "irq-twice-b.json", "irqchips[0]",
		  "irqchips[0] (address 0x8000000, pin_base 32): IRQs 33,140 are also claimed by irq-twice-a.json: irqchips[0] (address 0x8000000, pin_base 32)" },
	};

	(void)state;
	check_cells(names, 2, exp, N(exp));
}

static void irq__not_at_gicd(void **state)
{
	(void)state;
	CHECK_ONE("irq-address.json",
		{ "irq-address.json", "irqchips[0]",
		  "irqchips[0] (address 0x8010000, pin_base 32): address is not the GIC distributor (base-system.json: platform_info.arm.gicd_base 0x8000000)" });
}

static void ivshmem__peer_count(void **state)
{
	static const char *const names[] = { "ivshmem-peers-a.json",
					      "ivshmem-peers-b.json" };
	static const struct expect exp[] = {
		{ "ivshmem-peers-b.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:01.0, dev 1 of 3): shmem_peers 3 disagrees with ivshmem-peers-a.json: pci_devices[0] (ivshmem 00:01.0, dev 0 of 2)" },
	};

	(void)state;
	check_cells(names, 2, exp, N(exp));
}

static void ivshmem__layout(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-layout.json",
		{ "ivshmem-layout.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): state table memory_regions[0] (\"state\", phys 0x7fb10000-0x7fb10fff) differs from base-system.json: root_cell.memory_regions[2] (\"state\", phys 0x7fb00000-0x7fb00fff) of base-system.json: root_cell.pci_devices[0] (ivshmem 00:00.0, dev 0 of 2)" });
}

static void ivshmem__dev_id_unique(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-dev-id.json",
		{ "ivshmem-dev-id.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 0 of 2): shmem_dev_id 0 is also used by base-system.json: root_cell.pci_devices[0] (ivshmem 00:00.0, dev 0 of 2)" });
}

/*
 * Upstream takes a dev id below its maximum peer count (12), not only
 * below shmem_peers; so do our hypervisor and the checker. 12 is over.
 */
static void ivshmem__dev_id_range(void **state)
{
	static const char *const ok[] = { "ivshmem-dev-range.json" };

	(void)state;
	check_cells(ok, 1, NULL, 0);
	CHECK_ONE("ivshmem-dev-max.json",
		{ "ivshmem-dev-max.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:02.0, dev 12 of 2): shmem_dev_id 12 is over upstream's highest peer id 11 (12 peers per link at most)" });
}

/* Upstream pattern: virtio over ivshmem leaves the outputs empty. */
static void ivshmem__virtio_empty_outputs(void **state)
{
	static const char *const names[] = { "ivshmem-virtio.json" };

	(void)state;
	check_cells(names, 1, NULL, 0);
}

/* Upstream pattern: unused irqchip slots at address 0. */
static void irq__unused_slot(void **state)
{
	(void)state;
	CHECK_ONE("irq-unused-slot.json",
		{ "irq-unused-slot.json", "irqchips[2]",
		  "irqchips[2] (address 0x0, pin_base 32): interrupts in an unused slot (address 0) belong to no interrupt controller" });
}

/* Finding 8: what the hypervisor keeps for itself. */
static void reserved__non_root(void **state)
{
	static const char *const names[] = { "reserved-cell.json" };
#define UNBACKED(i, n, r) \
	{ "reserved-cell.json", "memory_regions[" #i "]", \
	  "memory_regions[" #i "] (\"" n "\", phys " r ") is not backed by root-cell memory: phys " r " is outside every region of reserved-system.json: root_cell.memory_regions" }
#define KEPT(i, n, r, what, where) \
	{ "reserved-cell.json", "memory_regions[" #i "]", \
	  "memory_regions[" #i "] (\"" n "\", phys " r ") overlaps " what " (reserved-system.json: " where "), which the hypervisor keeps: no non-root cell may map it" }
	static const struct expect exp[] = {
		UNBACKED(1, "gicd", "0x8000000-0x800ffff"),
		KEPT(1, "gicd", "0x8000000-0x800ffff", "the GIC distributor",
		     "platform_info.arm.gicd_base: phys 0x8000000-0x800ffff"),
		UNBACKED(2, "its", "0x8080000-0x809ffff"),
		KEPT(2, "its", "0x8080000-0x809ffff",
		     "the GIC's ITS and other frames before the redistributors",
		     "platform_info.arm.gicd_base..gicr_base: phys 0x8010000-0x809ffff"),
		UNBACKED(3, "gicr3", "0x8110000-0x8110fff"),
		KEPT(3, "gicr3", "0x8110000-0x8110fff", "the GIC redistributors",
		     "platform_info.arm.gicr_base + 0x20000 per CPU: phys 0x80a0000-0x811ffff"),
		UNBACKED(5, "ecam", "0x8e00000-0x8e00fff"),
		KEPT(5, "ecam", "0x8e00000-0x8e00fff", "the PCI ECAM window",
		     "platform_info.pci_mmconfig_base + 1 MiB per bus: phys 0x8e00000-0x8efffff"),
		KEPT(6, "uart", "0x9000000-0x9000fff",
		     "the hypervisor's debug UART",
		     "debug_console: phys 0x9000000-0x9000fff"),
		KEPT(7, "smmu", "0x9060000-0x9060fff", "an IOMMU unit",
		     "platform_info.iommu_units[0]: phys 0x9050000-0x906ffff"),
	};
#undef UNBACKED
#undef KEPT

	(void)state;
	check_system_cells("reserved-system.json", names, 1, exp, N(exp));
	/* Without cells the system is clean: the root shares the UART. */
	check_system_cells("reserved-system.json", NULL, 0, NULL, 0);
}

static void reserved__root(void **state)
{
#define ROOT(what, where) \
	{ "reserved-root.json", "root_cell.memory_regions[1]", \
	  "root_cell.memory_regions[1] (\"mmio\", phys 0x8000000-0x9000fff) overlaps " what " (" where "), which the hypervisor intercepts: the root cell may not map it" }
	static const struct expect exp[] = {
		ROOT("the GIC distributor",
		     "platform_info.arm.gicd_base: phys 0x8000000-0x800ffff"),
		ROOT("the GIC redistributors",
		     "platform_info.arm.gicr_base + 0x20000 per CPU: phys 0x80a0000-0x811ffff"),
		ROOT("the PCI ECAM window",
		     "platform_info.pci_mmconfig_base + 1 MiB per bus: phys 0x8e00000-0x8efffff"),
	};
#undef ROOT

	(void)state;
	check_system_cells("reserved-root.json", NULL, 0, exp, N(exp));
}

/* Two non-root cells' RAM: the hypervisor refuses the second (EBUSY). */
static void memory__cells_overlap(void **state)
{
	static const char *const names[] = { "ram-twice-a.json",
					      "ram-twice-b.json" };
	static const struct expect exp[] = {
		{ "ram-twice-b.json", "memory_regions[0]",
		  "memory_regions[0] (\"ram\", phys 0x7f080000-0x7f17ffff) overlaps ram-twice-a.json: memory_regions[0] (\"ram\", phys 0x7f000000-0x7f0fffff): cells may share memory only where both regions are rootshared" },
	};

	(void)state;
	check_cells(names, 2, exp, N(exp));
}

/*
 * Finding 3 and 7 on binaries (JSON refuses them at compile): a comm
 * region with flags or an address it cannot have; a name that is no
 * printable text. The file is base-cell.json compiled, then changed.
 */
static struct hvctl_config *base_cell_changed(size_t off, const void *bytes,
					      size_t len)
{
	struct hvctl_config *c = fixture("base-cell.json"), *b = NULL;
	struct hvctl_error err = { .msg = "" };
	uint8_t *buf = malloc(c->size);

	assert_non_null(buf);
	memcpy(buf, c->data, c->size);
	/* A name is the whole 32-byte field, NUL-padded. */
	if (off == offsetof(struct hv_cell_desc, name))
		memset(buf + off, 0, sizeof(((struct hv_cell_desc *)0)->name));
	memcpy(buf + off, bytes, len);
	assert_int_equal(hvctl_config_parse_binary(&b, buf, c->size,
						   "changed.cell", &err), 0);
	free(buf);
	hvctl_config_free(c);
	return b;
}

static void check_changed(struct hvctl_config *cell, const struct expect *exp,
			  size_t n)
{
	struct hvctl_config *sys = fixture("base-system.json");

	assert_findings(sys, &cell, 1, exp, n);
	hvctl_config_free(cell);
	hvctl_config_free(sys);
}

static void comm__flags_and_address(void **state)
{
	/* base-cell: 132 + 8 bytes, then "ram" and "comm" (index 1). */
	const size_t comm = sizeof(struct hv_cell_desc) + 8 + sizeof(struct hv_memory);
	static const struct expect phys[] = {
		{ "changed.cell", "memory_regions[1].phys_start",
		  "memory_regions[1].phys_start (virt 0x80000000-0x80000fff): a comm_region has no physical memory of its own (the hypervisor maps its communication page at virt_start): phys_start must be 0" },
	};
	static const struct expect loadable[] = {
		{ "changed.cell", "memory_regions[1].flags",
		  "memory_regions[1].flags (virt 0x80000000-0x80000fff): a comm_region cannot be loadable: no image is ever written into the hypervisor's communication page" },
	};
	static const struct expect io[] = {
		{ "changed.cell", "memory_regions[1].flags",
		  "memory_regions[1].flags (virt 0x80000000-0x80000fff): a comm_region cannot be io: it is the hypervisor's page, not a device" },
	};
	static const struct expect shared[] = {
		{ "changed.cell", "memory_regions[1].flags",
		  "memory_regions[1].flags (virt 0x80000000-0x80000fff): a comm_region cannot be rootshared: a cell's communication page is its own, never the root cell's" },
	};
	uint64_t v = 0x7fc00000;

	(void)state;
	check_changed(base_cell_changed(comm + offsetof(struct hv_memory, phys_start),
					&v, sizeof(v)), phys, N(phys));
	v = HV_MEM_READ | HV_MEM_WRITE | HV_MEM_COMM_REGION | HV_MEM_LOADABLE;
	check_changed(base_cell_changed(comm + offsetof(struct hv_memory, flags),
					&v, sizeof(v)), loadable, N(loadable));
	v = HV_MEM_READ | HV_MEM_WRITE | HV_MEM_COMM_REGION | HV_MEM_IO;
	check_changed(base_cell_changed(comm + offsetof(struct hv_memory, flags),
					&v, sizeof(v)), io, N(io));
	v = HV_MEM_READ | HV_MEM_WRITE | HV_MEM_COMM_REGION | HV_MEM_ROOTSHARED;
	check_changed(base_cell_changed(comm + offsetof(struct hv_memory, flags),
					&v, sizeof(v)), shared, N(shared));
}

static void names__not_text(void **state)
{
	static const struct expect esc[] = {
		{ "changed.cell", "name",
		  "name: byte 2 (0x1b) is a control character; names are printable text" },
	};
	static const struct expect bad[] = {
		{ "changed.cell", "name",
		  "name: byte 3 (0xff) starts no valid UTF-8 character or a control character; names are printable text" },
	};
	static const struct expect c1[] = {
		{ "changed.cell", "name",
		  "name: byte 1 (0xc2) starts no valid UTF-8 character or a control character; names are printable text" },
	};
	const size_t name = offsetof(struct hv_cell_desc, name);

	(void)state;
	check_changed(base_cell_changed(name, "ev\x1b]52;c;QQ==\x07", 14), esc,
		      N(esc));
	check_changed(base_cell_changed(name, "bad\xff", 5), bad, N(bad));
	/* U+009B, the C1 CSI, in UTF-8. */
	check_changed(base_cell_changed(name, "x\xc2\x9b", 4), c1, N(c1));
	/* Printable UTF-8 is a name like any other. */
	check_changed(base_cell_changed(name, "caf\xc3\xa9", 6), NULL, 0);
}

static void ivshmem__peer_limit(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-peers-limit.json",
		{ "ivshmem-peers-limit.json", "pci_devices[0]",
		  "pci_devices[0] (\"big\", ivshmem 00:02.0, dev 0 of 13): needs memory_regions[0]-[14] (2 + 13 peers) but the cell has 4 regions" },
		{ "ivshmem-peers-limit.json", "pci_devices[0]",
		  "pci_devices[0] (\"big\", ivshmem 00:02.0, dev 0 of 13): shmem_peers 13 is over the limit of 12" });
}

static void ivshmem__regions_missing(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-missing.json",
		{ "ivshmem-missing.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:02.0, dev 0 of 2): needs memory_regions[1]-[4] (2 + 2 peers) but the cell has 4 regions" });
}

static void ivshmem__write_access(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-writable.json",
		{ "ivshmem-writable.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): output section of peer 0 memory_regions[2] (\"out0\", phys 0x7fb02000-0x7fb02fff) is writable, but only its own peer may write it" },
		{ "ivshmem-writable.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): output section of peer 1 memory_regions[3] (\"out1\", phys 0x7fb03000-0x7fb03fff) is this peer's own but not writable" },
		{ "ivshmem-writable.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): state table memory_regions[0] (\"state\", phys 0x7fb00000-0x7fb00fff) is writable" });
}

static void ivshmem__consecutive(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-gap.json",
		{ "ivshmem-gap.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): output section of peer 1 memory_regions[3] (\"out1\", virt 0x7fb08000-0x7fb08fff) does not follow memory_regions[2] (\"out0\", virt 0x7fb02000-0x7fb02fff) in the cell's address space" });
}

static void ivshmem__rootshared(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-rootshared.json",
		{ "ivshmem-rootshared.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): read/write section memory_regions[1] (\"rw\", phys 0x7fb01000-0x7fb01fff) is shared with the root cell but lacks the rootshared flag" });
}

static void ivshmem__intx(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-intx.json",
		{ "ivshmem-intx.json", "pci_devices[0]",
		  "pci_devices[0] (ivshmem 00:00.0, dev 1 of 2): INTx interrupt 144 (vpci_irq_base 112, pin 1) is in none of the cell's irqchips" });
}

static void ivshmem__bdf_twice(void **state)
{
	(void)state;
	CHECK_ONE("ivshmem-bdf-twice.json",
		{ "ivshmem-bdf-twice.json", "pci_devices[1]",
		  "pci_devices[1] (ivshmem 00:02.0, dev 1 of 2): bdf is also used by pci_devices[0] (ivshmem 00:02.0, dev 0 of 2)" });
}

static void names__duplicate(void **state)
{
	(void)state;
	CHECK_ONE("name-dup.json",
		{ "name-dup.json", "name",
		  "name (\"base-root\") is also the name of base-system.json: root_cell.name" });
}

/*
 * The parsers refuse empty and unterminated names, so these configs come
 * from patching the name bytes of a parsed one: the checker must not rely
 * on its input having been through a parser.
 */
static void names__empty_and_too_long(void **state)
{
	static const struct expect exp_empty[] = {
		{ "base-cell.json", "name", "name is empty" },
	};
	static const struct expect exp_long[] = {
		{ "base-cell.json", "name",
		  "name (\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\") is over 31 bytes" },
	};
	struct hvctl_config *sys = fixture("base-system.json");
	struct hvctl_config *cell = fixture("base-cell.json");
	char *name = (char *)cell->data + offsetof(struct hv_cell_desc, name);

	(void)state;
	assert_ptr_equal(name, cell->cell->name);
	memset(name, 0, HV_CELL_NAME_MAXLEN + 1);
	assert_findings(sys, &cell, 1, exp_empty, N(exp_empty));
	memset(name, 'a', HV_CELL_NAME_MAXLEN + 1);
	assert_findings(sys, &cell, 1, exp_long, N(exp_long));
	hvctl_config_free(cell);
	hvctl_config_free(sys);
}

static void flags__unknown_bits(void **state)
{
	(void)state;
	CHECK_ONE("flags-unknown.json",
		{ "flags-unknown.json", "cache_regions[0]",
		  "cache_regions[0] (start 0, size 2) has unknown flag bits 0x4" },
		{ "flags-unknown.json", "console.flags",
		  "console.flags (0x9) has unknown flag bits 0x8" },
		{ "flags-unknown.json", "flags",
		  "flags (0x101) has unknown flag bits 0x100" },
		{ "flags-unknown.json", "memory_regions[0]",
		  "memory_regions[0] (\"ram\", phys 0x7f000000-0x7f0fffff) has unknown flag bits 0x200000" },
		{ "flags-unknown.json", "pci_caps[0]",
		  "pci_caps[0] (id 0x10, start 0x40) has unknown flag bits 0x10" });
}

static void flags__system_and_console_type(void **state)
{
	static const struct expect exp[] = {
		{ "system-flags.json", "debug_console.flags",
		  "debug_console.flags (0x6000) has unknown flag bits 0x4000" },
		{ "system-flags.json", "debug_console.type",
		  "debug_console.type 12 is not a console type (known: 0-10)" },
		{ "system-flags.json", "flags",
		  "flags (0x3, system) has unknown flag bits 0x2" },
		/* Input order: the system's findings first. */
		{ "arch-mismatch.json", "architecture",
		  "architecture arm does not match the system's arm64 (system-flags.json)" },
	};
	static const char *const names[] = { "arch-mismatch.json" };

	(void)state;
	check_system_cells("system-flags.json", names, 1, exp, N(exp));
}

static void console__type_range(void **state)
{
	(void)state;
	CHECK_ONE("console-type.json",
		{ "console-type.json", "console.type",
		  "console.type 11 is not a console type (known: 0-10)" });
}

/*
 * Too large for the hypervisor: the JSON does not even compile (finding
 * 11); a binary of that size, as another toolchain may write it, still
 * reads, and the checker reports it.
 */
static void size__too_large(void **state)
{
	static const struct expect exp[] = {
		{ "too-large.cell", "",
		  "cell config is too large for the hypervisor: 70312 bytes, limit 65536" },
	};
	struct hvctl_error err = { .msg = "" };
	struct hvctl_config *small, *big = NULL, *sys;
	uint32_t regions = 2192;
	char *text = slurp(FIXTURES "too-large.json");
	uint8_t *buf;
	size_t size;

	(void)state;
	assert_int_equal(hvctl_config_parse_json(&big, text, "too-large.json",
						 &err), -E2BIG);
	assert_null(big);
	assert_non_null(strstr(err.msg, "too-large.json:140:43:"));
	assert_non_null(strstr(err.msg, "memory_regions[2043]: entry 2043 makes the config larger than the 65536 bytes the hypervisor takes"));
	free(text);

	/* The same content as a binary: one region compiled, the empty
	 * ones appended (no array follows the regions). */
	small = parse("{ \"type\": \"cell\", \"architecture\": \"arm64\","
		      " \"name\": \"too-large\", \"cpu_set\": \"1\", \"cpu_set_size\": 36,"
		      " \"memory_regions\": [ { \"name\": \"ram\", \"phys_start\": \"0x7f000000\","
		      " \"virt_start\": 0, \"size\": \"1M\", \"flags\": [\"read\", \"write\", \"execute\"] } ] }",
		      "small.json");
	size = small->size + (regions - 1) * sizeof(struct hv_memory);
	buf = calloc(1, size);
	assert_non_null(buf);
	memcpy(buf, small->data, small->size);
	memcpy(buf + offsetof(struct hv_cell_desc, num_memory_regions),
	       &regions, sizeof(regions));
	assert_int_equal(hvctl_config_parse_binary(&big, buf, size,
						   "too-large.cell", &err), 0);
	sys = fixture("base-system.json");
	assert_findings(sys, &big, 1, exp, N(exp));
	hvctl_config_free(sys);
	hvctl_config_free(big);
	hvctl_config_free(small);
	free(buf);
}

static void arch__mismatch(void **state)
{
	(void)state;
	CHECK_ONE("arch-mismatch.json",
		{ "arch-mismatch.json", "architecture",
		  "architecture arm does not match the system's arm64 (base-system.json)" });
}

static void shipped__sim(void **state)
{
	static const char *const rel[] = {
		"configs/sim/rtos.json", "configs/sim/linux-demo.json",
		"configs/sim/ivshmem-a.json", "configs/sim/ivshmem-b.json",
	};
	struct hvctl_config *sys = shipped("configs/sim/system.json");
	struct hvctl_config *cells[N(rel)];
	size_t i;

	(void)state;
	for (i = 0; i < N(rel); i++)
		cells[i] = shipped(rel[i]);
	assert_findings(sys, cells, N(rel), NULL, 0);
	for (i = 0; i < N(rel); i++)
		hvctl_config_free(cells[i]);
	hvctl_config_free(sys);
}

static void shipped__qemu(void **state)
{
	struct hvctl_config *sys = shipped("configs/qemu/system.json");
	struct hvctl_config *cell = shipped("configs/qemu/inmate-demo.json");

	(void)state;
	assert_findings(sys, &cell, 1, NULL, 0);
	hvctl_config_free(cell);
	hvctl_config_free(sys);
}

/* The root's two ivshmem links with their inmates, running together. */
static void shipped__qemu_echo_links(void **state)
{
	struct hvctl_config *sys = shipped("configs/qemu/system.json");
	struct hvctl_config *cells[2] = {
		shipped("configs/qemu/ivshmem-echo.json"),
		shipped("configs/qemu/net-echo.json"),
	};

	(void)state;
	assert_findings(sys, cells, 2, NULL, 0);
	hvctl_config_free(cells[0]);
	hvctl_config_free(cells[1]);
	hvctl_config_free(sys);
}

static void api__bad_arguments(void **state)
{
	struct hvctl_config *sys = fixture("base-system.json");
	struct hvctl_config *cell = fixture("base-cell.json");
	struct hvctl_findings *f = (struct hvctl_findings *)&f;

	(void)state;
	assert_int_equal(hvctl_config_check(NULL, NULL, 0, &f), -EINVAL);
	assert_null(f);
	/* A cell where the system belongs, and the other way round. */
	assert_int_equal(hvctl_config_check(cell, NULL, 0, &f), -EINVAL);
	assert_int_equal(hvctl_config_check(sys,
		(const struct hvctl_config *const *)&sys, 1, &f), -EINVAL);
	assert_int_equal(hvctl_config_check(sys, NULL, 1, &f), -EINVAL);
	assert_int_equal(hvctl_config_check(sys, NULL, 0, NULL), -EINVAL);
	hvctl_findings_free(NULL);
	hvctl_config_free(cell);
	hvctl_config_free(sys);
}

/* ---- the sweeps against brute force ---- */

struct rnd_region {
	uint64_t start;
	uint64_t size;
};

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible across platforms. */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (*len + (size_t)n < *cap)
			break;
		*cap *= 2;
		*buf = realloc(*buf, *cap);
		assert_non_null(*buf);
	}
	*len += (size_t)n;
}

/* JSON of a cell (or, with root, a system) with the given phys regions. */
static char *layout_json(const struct rnd_region *r, size_t n, bool system,
			 const char *name)
{
	size_t len = 0, cap = 4096, i;
	char *buf = malloc(cap);

	assert_non_null(buf);
	if (system)
		append(&buf, &len, &cap, "{ \"type\": \"system\", \"architecture\": \"arm64\", \"hypervisor_memory\": { \"phys_start\": \"0xfff00000000\", \"size\": \"4M\" }, \"root_cell\": { \"name\": \"%s\", \"cpu_set\": \"0-3\", \"memory_regions\": [", name);
	else
		append(&buf, &len, &cap, "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"%s\", \"cpu_set\": \"1\", \"memory_regions\": [", name);
	for (i = 0; i < n; i++)
		append(&buf, &len, &cap, "%s{ \"phys_start\": %" PRIu64 ", \"virt_start\": %" PRIu64 ", \"size\": %" PRIu64 ", \"flags\": [\"read\"] }",
		       i ? ", " : "", r[i].start,
		       /* Virtual addresses apart, so only phys can clash. */
		       (uint64_t)i << 32, r[i].size);
	append(&buf, &len, &cap, system ? "] } }" : "] }");
	return buf;
}

/*
 * Check a cell of the regions cell[] (cell.json) against a system whose
 * root cell has the regions root[] (sys.json); the caller frees the
 * findings.
 */
static struct hvctl_findings *check_layout(const struct rnd_region *root,
					   size_t nroot,
					   const struct rnd_region *cell,
					   size_t ncell)
{
	struct hvctl_findings *f = NULL;
	struct hvctl_config *sys, *c;
	char *text;

	text = layout_json(root, nroot, true, "root");
	sys = parse(text, "sys.json");
	free(text);
	text = layout_json(cell, ncell, false, "cell");
	c = parse(text, "cell.json");
	free(text);
	assert_int_equal(hvctl_config_check(sys,
		(const struct hvctl_config *const *)&c, 1, &f), 0);
	hvctl_config_free(c);
	hvctl_config_free(sys);
	return f;
}

static bool overlaps(const struct rnd_region *a, const struct rnd_region *b)
{
	return a->start < b->start + b->size && b->start < a->start + a->size;
}

/* Index parsed from "memory_regions[N]" at the start of s (after skip). */
static size_t index_at(const char *s)
{
	const char *p = strstr(s, "memory_regions[");

	assert_non_null(p);
	return (size_t)strtoul(p + strlen("memory_regions["), NULL, 10);
}

static void sweep__overlaps_match_brute_force(void **state)
{
	enum { NREG = 300, ROUNDS = 20 };
	struct rnd_region r[NREG];
	int round;

	(void)state;
	for (round = 0; round < ROUNDS; round++) {
		struct rnd_region root = { 0, 1ull << 40 };
		bool involved[NREG] = { false }, seen[NREG] = { false };
		struct hvctl_findings *f;
		size_t i, j;

		for (i = 0; i < NREG; i++) {
			r[i].start = (rnd() % 100000) * 0x1000;
			r[i].size = (1 + rnd() % 64) * 0x1000;
		}
		for (i = 0; i < NREG; i++)
			for (j = 0; j < NREG; j++)
				if (i != j && overlaps(&r[i], &r[j]))
					involved[i] = true;

		f = check_layout(&root, 1, r, NREG);

		/* Every reported pair overlaps, every region involved in an
		 * overlap appears in some finding, and nothing else does. */
		for (i = 0; i < f->count; i++) {
			const char *msg = f->items[i].message;
			const char *other = strstr(msg, " overlaps ");
			char path[64];
			size_t a, b;

			assert_non_null(other);
			a = index_at(msg);
			b = index_at(other);
			assert_true(a < NREG && b < NREG && a > b);
			assert_true(overlaps(&r[a], &r[b]));
			snprintf(path, sizeof(path), "memory_regions[%zu]", a);
			assert_string_equal(f->items[i].path, path);
			seen[a] = seen[b] = true;
		}
		for (i = 0; i < NREG; i++)
			assert_int_equal(seen[i], involved[i]);
		hvctl_findings_free(f);
	}
}

/* First address of [start, start + size) that no root region covers. */
static bool brute_gap(const struct rnd_region *root, size_t n, uint64_t start,
		      uint64_t size, uint64_t *gap)
{
	uint64_t addr = start, end = start + size;
	size_t i;

	while (addr < end) {
		for (i = 0; i < n; i++)
			if (addr >= root[i].start &&
			    addr < root[i].start + root[i].size)
				break;
		if (i == n) {
			*gap = addr;
			return true;
		}
		addr = root[i].start + root[i].size;
	}
	return false;
}

static void sweep__backing_matches_brute_force(void **state)
{
	enum { NROOT = 200, NCELL = 300, ROUNDS = 20 };
	struct rnd_region root[NROOT], cell_r[NCELL];
	int round;

	(void)state;
	for (round = 0; round < ROUNDS; round++) {
		bool expect_gap[NCELL], seen[NCELL] = { false };
		uint64_t gap_at[NCELL], pos = 0;
		struct hvctl_findings *f;
		size_t i;

		/* Disjoint root regions, some adjacent, in shuffled order. */
		for (i = 0; i < NROOT; i++) {
			pos += (rnd() % 8) * 0x1000;
			root[i].start = pos;
			root[i].size = (1 + rnd() % 32) * 0x1000;
			pos += root[i].size;
		}
		for (i = NROOT - 1; i > 0; i--) {
			size_t j = rnd() % (i + 1);
			struct rnd_region t = root[i];

			root[i] = root[j];
			root[j] = t;
		}
		for (i = 0; i < NCELL; i++) {
			cell_r[i].start = (rnd() % (pos / 0x1000 + 16)) * 0x1000;
			cell_r[i].size = (1 + rnd() % 16) * 0x1000;
			expect_gap[i] = brute_gap(root, NROOT, cell_r[i].start,
						  cell_r[i].size, &gap_at[i]);
		}

		f = check_layout(root, NROOT, cell_r, NCELL);

		for (i = 0; i < f->count; i++) {
			const char *msg = f->items[i].message;
			const char *gap = strstr(msg, "is not backed by root-cell memory: phys 0x");
			size_t a;

			if (!gap)
				continue;	/* overlaps among the cell's regions */
			assert_string_equal(f->items[i].file, "cell.json");
			a = index_at(msg);
			assert_true(a < NCELL && expect_gap[a] && !seen[a]);
			assert_int_equal(strtoull(gap + strlen("is not backed by root-cell memory: phys "),
						  NULL, 16), gap_at[a]);
			seen[a] = true;
		}
		for (i = 0; i < NCELL; i++)
			assert_int_equal(seen[i], expect_gap[i]);
		hvctl_findings_free(f);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(base__clean),
		cmocka_unit_test(memory__phys_overlap),
		cmocka_unit_test(memory__virt_overlap),
		cmocka_unit_test(memory__hypervisor_overlap),
		cmocka_unit_test(memory__not_backed),
		cmocka_unit_test(memory__wraps),
		cmocka_unit_test(cpus__outside_system),
		cmocka_unit_test(cpus__claimed_twice),
		cmocka_unit_test(cpus__empty),
		cmocka_unit_test(cpus__set_size),
		cmocka_unit_test(cpus__x86_cpu0),
		cmocka_unit_test(irq__pin_base),
		cmocka_unit_test(irq__outside_gic),
		cmocka_unit_test(irq__not_owned_by_root),
		cmocka_unit_test(irq__claimed_twice),
		cmocka_unit_test(irq__not_at_gicd),
		cmocka_unit_test(ivshmem__peer_count),
		cmocka_unit_test(ivshmem__layout),
		cmocka_unit_test(ivshmem__dev_id_unique),
		cmocka_unit_test(ivshmem__dev_id_range),
		cmocka_unit_test(ivshmem__virtio_empty_outputs),
		cmocka_unit_test(irq__unused_slot),
		cmocka_unit_test(reserved__non_root),
		cmocka_unit_test(reserved__root),
		cmocka_unit_test(memory__cells_overlap),
		cmocka_unit_test(comm__flags_and_address),
		cmocka_unit_test(names__not_text),
		cmocka_unit_test(ivshmem__peer_limit),
		cmocka_unit_test(ivshmem__regions_missing),
		cmocka_unit_test(ivshmem__write_access),
		cmocka_unit_test(ivshmem__consecutive),
		cmocka_unit_test(ivshmem__rootshared),
		cmocka_unit_test(ivshmem__intx),
		cmocka_unit_test(ivshmem__bdf_twice),
		cmocka_unit_test(names__duplicate),
		cmocka_unit_test(names__empty_and_too_long),
		cmocka_unit_test(flags__unknown_bits),
		cmocka_unit_test(flags__system_and_console_type),
		cmocka_unit_test(console__type_range),
		cmocka_unit_test(size__too_large),
		cmocka_unit_test(arch__mismatch),
		cmocka_unit_test(shipped__sim),
		cmocka_unit_test(shipped__qemu),
		cmocka_unit_test(shipped__qemu_echo_links),
		cmocka_unit_test(api__bad_arguments),
		cmocka_unit_test(sweep__overlaps_match_brute_force),
		cmocka_unit_test(sweep__backing_matches_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
