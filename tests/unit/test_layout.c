// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What configs mean together (hvctl/layout.h) and the format's words
 * (hvctl/names.h): the shipped simulated board laid out, its ivshmem
 * links, a cell's claim on the root cell, and the names every tool shows.
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
#include <hvctl/layout.h>
#include <hvctl/names.h>

#define SIM_DIR HVCTL_SOURCE_DIR "/configs/sim/"

static struct hvctl_config *load(const char *name)
{
	struct hvctl_config *c = NULL;
	struct hvctl_error err = { { 0 } };
	char path[512];

	snprintf(path, sizeof(path), SIM_DIR "%s.json", name);
	if (hvctl_config_read_file(&c, path, &err))
		fail_msg("%s", err.msg);
	return c;
}

/* ---- the layout and links of configs/sim ---- */

struct sim {
	struct hvctl_config *sys, *rtos, *linux_demo, *a, *b;
	struct hvctl_layout_cell cells[5];
};

static int sim_setup(void **state)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct hvctl_error err = { { 0 } };

	if (!s)
		return -1;
	s->sys = load("system");
	s->rtos = load("rtos");
	s->linux_demo = load("linux-demo");
	s->a = load("ivshmem-a");
	s->b = load("ivshmem-b");
	(void)err;
	s->cells[0] = (struct hvctl_layout_cell){ 0, "sim-root", s->sys };
	s->cells[1] = (struct hvctl_layout_cell){ 1, "rtos", s->rtos };
	s->cells[2] = (struct hvctl_layout_cell){ 2, "linux-demo", s->linux_demo };
	s->cells[3] = (struct hvctl_layout_cell){ 3, "ivshmem-a", s->a };
	s->cells[4] = (struct hvctl_layout_cell){ 4, "ivshmem-b", s->b };
	*state = s;
	return 0;
}

static int sim_teardown(void **state)
{
	struct sim *s = *state;

	hvctl_config_free(s->sys);
	hvctl_config_free(s->rtos);
	hvctl_config_free(s->linux_demo);
	hvctl_config_free(s->a);
	hvctl_config_free(s->b);
	free(s);
	return 0;
}

static const struct hvctl_segment *seg_at(const struct hvctl_layout *mm, uint64_t start)
{
	size_t i;

	for (i = 0; i < mm->count; i++)
		if (mm->segs[i].start == start && mm->segs[i].kind != HVCTL_REGION_GAP)
			return &mm->segs[i];
	return NULL;
}

static void memmap__sim_board(void **state)
{
	struct sim *s = *state;
	struct hvctl_layout mm;
	const struct hvctl_segment *g;
	uint64_t prev_end = 0;
	size_t i;

	assert_int_equal(hvctl_layout_build(&mm, s->cells, 5, 0x7fc00000, 0x400000), 0);
	assert_true(mm.hv_known);
	/* Sorted by address, no overlaps, gaps only where nothing is. */
	for (i = 0; i < mm.count; i++) {
		assert_false(mm.segs[i].overlap);
		if (i)
			assert_int_equal(mm.segs[i].start, prev_end);
		prev_end = mm.segs[i].start + mm.segs[i].size;
	}
	/* The root's RAM lost what the cells took. */
	g = seg_at(&mm, 0x40000000);
	assert_non_null(g);
	assert_string_equal(g->owners, "sim-root");
	assert_int_equal(g->size, 0x70000000 - 0x40000000);
	g = seg_at(&mm, 0x70000000);
	assert_string_equal(g->owners, "linux-demo");
	assert_int_equal(g->kind, HVCTL_REGION_RAM);
	assert_false(g->shared_root);
	g = seg_at(&mm, 0x7f000000);
	assert_string_equal(g->owners, "rtos");
	assert_string_equal(g->name, "ram");
	/* ivshmem sections: one segment, every peer named, root first. */
	g = seg_at(&mm, 0x7faf0000);
	assert_int_equal(g->kind, HVCTL_REGION_IVSHMEM);
	assert_string_equal(g->owners, "sim-root, rtos");
	assert_true(g->shared_root);
	g = seg_at(&mm, 0x7fb01000);
	assert_int_equal(g->kind, HVCTL_REGION_IVSHMEM);
	assert_string_equal(g->owners, "sim-root, ivshmem-a, ivshmem-b");
	assert_int_equal(g->num_owners, 3);
	/* The UART is the root's alone (the hypervisor's debug console no
	 * other cell may map); the GIC and ECAM window are nobody's. */
	g = seg_at(&mm, 0x9000000);
	assert_string_equal(g->owners, "sim-root");
	assert_int_equal(g->kind, HVCTL_REGION_IO);
	assert_null(seg_at(&mm, 0x8000000));
	/* Hypervisor memory, and a gap between RAM and it. */
	g = seg_at(&mm, 0x7fc00000);
	assert_int_equal(g->kind, HVCTL_REGION_HYPERVISOR);
	assert_int_equal(g->cell_id, -1);
	/* Comm regions are guest addresses, listed apart. */
	assert_int_equal(mm.num_comm, 4);
	assert_int_equal(mm.comm[0].start, 0x80000000);

	/* Owned memory: alone vs. shared. */
	assert_int_equal(hvctl_layout_owned(&mm, 1, false), 0x100000);
	assert_int_equal(hvctl_layout_owned(&mm, 2, false), 0x8000000 + 0x10000);
	assert_int_equal(hvctl_layout_owned(&mm, 3, true), 0x1000 + 2 * 0x7f000);
	assert_int_equal(hvctl_layout_owned(&mm, 0, false),
			 (0x70000000 - 0x40000000) + (0x7e000000 - 0x78000000) +
			 (0x7f000000 - 0x7e200000) + (0x7f900000 - 0x7f100000) +
			 (0x7f9fffff + 1 - 0x7f910000) + 0x1000);
	hvctl_layout_free(&mm);
}

static void memmap__overlap_marked(void **state)
{
	struct sim *s = *state;
	struct hvctl_layout_cell two[2] = {
		{ 5, "x", s->rtos }, { 6, "y", s->linux_demo },
	};
	struct hvctl_layout mm;
	struct hvctl_config *c = NULL;
	struct hvctl_error err = { { 0 } };
	const char *json =
		"{ \"type\": \"cell\", \"architecture\": \"arm64\", \"revision\": 14,"
		"  \"name\": \"clash\", \"cpu_set\": \"6\","
		"  \"memory_regions\": [ { \"phys_start\": \"0x7f080000\", \"virt_start\": 0,"
		"    \"size\": \"1M\", \"flags\": [\"read\"] } ] }";
	size_t i;
	bool seen = false;

	(void)two;
	assert_int_equal(hvctl_config_parse_json(&c, json, "clash.json", &err), 0);
	two[1].config = c;
	two[0].config = s->rtos;
	assert_int_equal(hvctl_layout_build(&mm, two, 2, 0, 0), 0);
	assert_false(mm.hv_known);
	for (i = 0; i < mm.count; i++)
		if (mm.segs[i].start == 0x7f080000)
			seen = mm.segs[i].overlap;
	assert_true(seen);
	hvctl_layout_free(&mm);
	hvctl_config_free(c);
}

static void links__sim_board(void **state)
{
	struct sim *s = *state;
	struct hvctl_links links;
	const struct hvctl_link *rtos = NULL, *ab = NULL;
	size_t i;
	char buf[64];

	assert_int_equal(hvctl_links_build(&links, s->cells, 5), 0);
	assert_int_equal(links.count, 2);
	for (i = 0; i < links.count; i++) {
		if (links.items[i].bdf == 0)
			rtos = &links.items[i];
		if (links.items[i].bdf == (1 << 3))
			ab = &links.items[i];
	}
	assert_non_null(rtos);
	assert_non_null(ab);
	assert_int_equal(rtos->num_peers, 2);
	assert_int_equal(rtos->peers[0].cell_id, 0);
	assert_int_equal(rtos->peers[1].dev_id, 1);
	assert_string_equal(rtos->peers[1].cell, "rtos");
	assert_int_equal(rtos->state_size, 0x1000);
	assert_int_equal(rtos->rw_size, 0x9000);
	assert_int_equal(rtos->out_size, 0x2000);
	assert_int_equal(rtos->peers[1].out_phys, 0x7fafc000);
	assert_string_equal(rtos->problem, "");
	assert_int_equal(ab->rw_size, 0);
	assert_string_equal(ab->peers[0].cell, "ivshmem-a");
	assert_int_equal(ab->peers[1].out_phys, 0x7fb80000);
	assert_string_equal(ab->problem, "");

	hvctl_bdf_str(buf, sizeof(buf), 1, ab->bdf, true);
	assert_string_equal(buf, "0001:00:01.0");
	hvctl_shmem_protocol_str(buf, sizeof(buf), HV_SHMEM_PROTO_VETH);
	assert_string_equal(buf, "veth");
	hvctl_shmem_protocol_str(buf, sizeof(buf), HV_SHMEM_PROTO_VIRTIO_BACK | 2);
	assert_string_equal(buf, "virtio_back block");
	hvctl_shmem_protocol_str(buf, sizeof(buf), 0x4001);
	assert_string_equal(buf, "custom 0x4001");
	hvctl_links_free(&links);

	/* Two cells claiming the same peer ID: named in the problem. */
	s->cells[4].config = s->a;
	assert_int_equal(hvctl_links_build(&links, s->cells, 5), 0);
	for (i = 0; i < links.count; i++)
		if (links.items[i].bdf == (1 << 3))
			assert_string_equal(links.items[i].problem,
					    "cells ivshmem-a and ivshmem-b both use peer ID 0");
	s->cells[4].config = s->b;
	hvctl_links_free(&links);
}


static void regions__kinds_order_and_claim(void **state)
{
	struct sim *s = *state;
	const struct hvctl_config *c = s->rtos;
	uint32_t n = c->cell->num_memory_regions, i, order[64];
	struct hvctl_claim claim;
	bool seen_comm = false;

	assert_true(n <= 64);
	assert_int_equal(hvctl_regions_by_address(c, order), 0);
	/* Physical regions ascending, then the comm region, each index once. */
	for (i = 0; i < n; i++) {
		enum hvctl_region_kind k = hvctl_region_kind(c, order[i]);

		if (k == HVCTL_REGION_COMM) {
			seen_comm = true;
			continue;
		}
		assert_false(seen_comm);
		if (i)
			assert_true(c->mem[order[i - 1]].phys_start <= c->mem[order[i]].phys_start);
	}
	assert_true(seen_comm);
	assert_int_equal(hvctl_region_kind(c, n), HVCTL_REGION_EMPTY);
	assert_string_equal(hvctl_region_kind_name(HVCTL_REGION_IO), "I/O");

	/* rtos: 1 MiB RAM alone, the ivshmem sections, no device memory. */
	hvctl_config_claim(c, &claim);
	assert_int_equal(claim.num_cpus, 1);
	assert_int_equal(claim.num_comm, 1);
	assert_int_equal(claim.num_io, 0);
	assert_int_equal(claim.num_pci, 1);
	assert_int_equal(claim.num_ivshmem, 1);
	assert_true(claim.mem_own >= 0x100000);
	assert_true(claim.mem_shared > 0);

	/* INTx: ARM, vpci_irq_base + 32 + slot. */
	assert_int_equal(hvctl_pci_intx(c, &c->pci[0]),
			 32 + (int64_t)c->cell->vpci_irq_base + ((c->pci[0].bdf >> 3) & 3));
}

/* A snapshot's cells laid out: the same facts as from the configs. */
static void layout__from_snapshot(void **state)
{
	struct sim *s = *state;
	struct hvctl_cell_info cells[5];
	struct hvctl_snapshot snap;
	struct hvctl_layout a, b;
	struct hvctl_links links;
	size_t i;

	memset(cells, 0, sizeof(cells));
	memset(&snap, 0, sizeof(snap));
	for (i = 0; i < 5; i++) {
		cells[i].id = s->cells[i].id;
		snprintf(cells[i].name, sizeof(cells[i].name), "%s", s->cells[i].name);
		cells[i].config = s->cells[i].config;
	}
	snap.cells = cells;
	snap.num_cells = 5;
	snap.what = HVCTL_READ_CONFIGS;
	snap.system_config = s->sys;
	assert_int_equal(hvctl_layout_snapshot(&a, &links, &snap), 0);
	assert_int_equal(hvctl_layout_build(&b, s->cells, 5,
					    s->sys->system->hypervisor_memory.phys_start,
					    s->sys->system->hypervisor_memory.size), 0);
	assert_true(a.hv_known);
	assert_int_equal(a.count, b.count);
	for (i = 0; i < a.count; i++) {
		assert_int_equal(a.segs[i].start, b.segs[i].start);
		assert_string_equal(a.segs[i].owners, b.segs[i].owners);
	}
	assert_int_equal(links.count, 2);
	hvctl_layout_free(&a);
	hvctl_layout_free(&b);
	hvctl_links_free(&links);

	/* Without the system config the hypervisor is not placed. */
	snap.system_config = NULL;
	assert_int_equal(hvctl_layout_snapshot(&a, NULL, &snap), 0);
	assert_false(a.hv_known);
	hvctl_layout_free(&a);
}

static void names__tables_and_words(void **state)
{
	char buf[128];
	uint64_t v;
	const char *name;
	size_t i;
	struct hv_irqchip chip;

	(void)state;
	/* The words of the JSON format, not hvtop's old spellings. */
	hvctl_flags_str(buf, sizeof(buf), HVCTL_NAMES_CELL_FLAGS,
			HV_CELL_PASSIVE_COMMREG | HV_CELL_VIRTUAL_CONSOLE_PERMITTED, " ");
	assert_string_equal(buf, "passive_commreg virtual_console_permitted");
	hvctl_flags_str(buf, sizeof(buf), HVCTL_NAMES_MEM_FLAGS,
			HV_MEM_READ | HV_MEM_COMM_REGION | (1ull << 40), ",");
	assert_string_equal(buf, "read,comm_region,0x10000000000");
	assert_int_equal(hvctl_flags_str(NULL, 0, HVCTL_NAMES_MEM_FLAGS, 0, ","), 0);
	assert_string_equal(hvctl_name_of(HVCTL_NAMES_CONSOLE_TYPE, HV_CON_TYPE_IMX_LPUART),
			    "imx_lpuart");
	assert_string_equal(hvctl_name_of(HVCTL_NAMES_PCI_TYPE, HV_PCI_TYPE_IVSHMEM), "ivshmem");
	assert_null(hvctl_name_of(HVCTL_NAMES_ARCH, 9));
	assert_null(hvctl_name_of(HVCTL_NAMES_COUNT, 0));

	/* Iterating a table gives every entry once, in order, then stops. */
	for (i = 0; hvctl_names_entry(HVCTL_NAMES_ARCH, i, &v, &name); i++)
		assert_int_equal(v, i);
	assert_int_equal(i, 3);
	assert_false(hvctl_names_entry(HVCTL_NAMES_COUNT, 0, &v, &name));

	hvctl_shmem_protocol_str(buf, sizeof(buf), HV_SHMEM_PROTO_VIRTIO_FRONT);
	assert_string_equal(buf, "virtio_front");
	hvctl_shmem_protocol_str(buf, sizeof(buf), HV_SHMEM_PROTO_VIRTIO_FRONT | 1);
	assert_string_equal(buf, "virtio_front net");
	hvctl_shmem_protocol_str(buf, sizeof(buf), HV_SHMEM_PROTO_VIRTIO_BACK | 9);
	assert_string_equal(buf, "virtio_back 9");
	hvctl_shmem_protocol_str(buf, sizeof(buf), 0x0005);
	assert_string_equal(buf, "0x0005");
	hvctl_bdf_str(buf, sizeof(buf), 0, 0x0109, false);
	assert_string_equal(buf, "01:01.1");

	hvctl_addr_str(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0");
	hvctl_addr_str(buf, sizeof(buf), 0x9000000);
	assert_string_equal(buf, "0x9000000");
	hvctl_size_str(buf, sizeof(buf), 4u << 20);
	assert_string_equal(buf, "4M");
	hvctl_size_str(buf, sizeof(buf), 0x1234);
	assert_string_equal(buf, "0x1234");

	memset(&chip, 0, sizeof(chip));
	chip.pin_base = 32;
	chip.pin_bitmap[0] = 0xf | 1u << 8;
	chip.pin_bitmap[1] = 1;
	hvctl_irqchip_str(buf, sizeof(buf), &chip);
	assert_string_equal(buf, "32-35,40,64");

	hvctl_ivshmem_section_str(buf, sizeof(buf), 3);
	assert_string_equal(buf, "output of peer 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(memmap__sim_board, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(memmap__overlap_marked, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(links__sim_board, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(regions__kinds_order_and_claim, sim_setup,
						sim_teardown),
		cmocka_unit_test_setup_teardown(layout__from_snapshot, sim_setup, sim_teardown),
		cmocka_unit_test(names__tables_and_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
