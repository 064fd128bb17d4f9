// SPDX-License-Identifier: MIT
/*
 * Virtual PCI for ivshmem in the core (hypervisor/core/vpci.c): the config
 * space a cell reads and writes through the ECAM window, BAR0 placed where
 * the guest programs it, the registers behind it (doorbells, state,
 * interrupt control, one-shot), the read-only mapping of state tables and
 * other peers' output sections, and a failed peer leaving its links.
 */
#include "hv_test.h"

#include <hv/ivshmem.h>
#include <hv/mmio.h>
#include <hv/vpci.h>

#define A_RAM		0x7e000000ULL
#define B_RAM		0x7e100000ULL
#define LINK		0x7fb00000ULL
#define BDF		0x0008		/* 00:01.0: device 1, INTx pin B */
#define ECAM		0x08e00000ULL
#define CFG(bdf, reg)	(ECAM + ((uint64_t)(bdf) << 12) + (reg))
#define BAR_A		0x09100000ULL	/* mapped in no cell */

static void link_peer(struct hvt_cell *c, const char *name, unsigned int cpu,
		      uint64_t ram, uint8_t id)
{
	hvt_small_cell(c, name, cpu, ram);
	hvt_ivshmem(c, BDF, hvt_link_regions(c, id, HV_MEM_ROOTSHARED), id, 2);
}

static uint64_t rd(unsigned int cpu, uint64_t addr, unsigned int size)
{
	uint64_t v = 0xdeadbeefdeadbeefULL;

	assert_int_equal(mmio_handle_access(per_cpu(cpu), addr, size, false,
					    &v), MMIO_HANDLED);
	return v;
}

static void wr(unsigned int cpu, uint64_t addr, unsigned int size,
	       uint64_t v)
{
	assert_int_equal(mmio_handle_access(per_cpu(cpu), addr, size, true,
					    &v), MMIO_HANDLED);
}

static uint32_t peek(uint64_t phys)
{
	uint32_t v = 0;

	assert_int_equal(simmem_read(&hvt_sb->mem, &v, phys, sizeof(v)), 0);
	return v;
}

/* Cells a (CPU 4, peer 0) and b (CPU 5, peer 1) on the 00:01.0 link. */
static void two_peers(int *ia, int *ib)
{
	struct hvt_cell a, b;

	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	a.pci[0].shmem_protocol = HV_SHMEM_PROTO_VETH;
	link_peer(&b, "b", 5, B_RAM, 1);
	b.pci[0].shmem_protocol = HV_SHMEM_PROTO_VETH;
	*ia = hvt_create(&a);
	*ib = hvt_create(&b);
	assert_true(*ia > 0 && *ib > 0);
}

static void test_config_space_ids(void **state)
{
	int ia, ib;

	(void)state;
	two_peers(&ia, &ib);
	assert_int_equal(rd(4, CFG(BDF, 0x00), 4), 0x4106110a);
	assert_int_equal(rd(4, CFG(BDF, 0x02), 2), 0x4106);
	/* Status: capability list; Command 0 at reset. */
	assert_int_equal(rd(4, CFG(BDF, 0x04), 4), 0x00100000);
	/* Revision 0, class ff, subclass 00, interface 01 (VETH). */
	assert_int_equal(rd(4, CFG(BDF, 0x08), 4), 0xff000100);
	assert_int_equal(rd(4, CFG(BDF, 0x0e), 1), 0);
	assert_int_equal(rd(4, CFG(BDF, 0x2c), 4), 0x4106110a);
	assert_int_equal(rd(4, CFG(BDF, 0x34), 1), 0x40);
	/* Device 1: pin B. */
	assert_int_equal(rd(4, CFG(BDF, 0x3d), 1), 2);
	/* The vendor capability: id 9, last, length 0x20, then sizes. */
	assert_int_equal(rd(4, CFG(BDF, 0x40), 4), 0x00200009);
	assert_int_equal(rd(4, CFG(BDF, 0x44), 4), 0x1000);
	assert_int_equal(rd(4, CFG(BDF, 0x48), 8), 0);
	assert_int_equal(rd(4, CFG(BDF, 0x50), 8), 0x7f000);
	assert_int_equal(rd(4, CFG(BDF, 0x58), 8), LINK);
	assert_int_equal(rd(4, CFG(BDF, 0x5c), 4), 0);
	/* Beyond 0x80, other devices, BARs 1 to 5: all ones or 0. */
	assert_int_equal(rd(4, CFG(BDF, 0x80), 4), 0xffffffff);
	assert_int_equal(rd(4, CFG(BDF, 0x100), 4), 0xffffffff);
	assert_int_equal(rd(4, CFG(0x0000, 0x00), 4), 0xffffffff);
	assert_int_equal(rd(4, CFG(0x0010, 0x00), 2), 0xffff);
	assert_int_equal(rd(4, CFG(BDF, 0x14), 4), 0);
	/* A cell without the device sees nothing there: the root. */
	assert_int_equal(rd(hvt_root_cpu()->cpu_id, CFG(BDF, 0x00), 4),
			 0xffffffff);
	/* Misaligned: all ones. */
	assert_int_equal(rd(4, CFG(BDF, 0x01), 2), 0xffff);
}

static void test_config_space_writes(void **state)
{
	int ia, ib;

	(void)state;
	two_peers(&ia, &ib);
	/* Read-only fields ignore writes. */
	wr(4, CFG(BDF, 0x00), 4, 0x12345678);
	wr(4, CFG(BDF, 0x08), 4, 0);
	wr(4, CFG(BDF, 0x3d), 1, 4);
	wr(4, CFG(BDF, 0x44), 4, 0x10);
	wr(4, CFG(BDF, 0x58), 8, 0);
	assert_int_equal(rd(4, CFG(BDF, 0x00), 4), 0x4106110a);
	assert_int_equal(rd(4, CFG(BDF, 0x08), 4), 0xff000100);
	assert_int_equal(rd(4, CFG(BDF, 0x3d), 1), 2);
	assert_int_equal(rd(4, CFG(BDF, 0x44), 4), 0x1000);
	assert_int_equal(rd(4, CFG(BDF, 0x58), 8), LINK);
	/* Command: memory, bus master and INTx disable only; status stays. */
	wr(4, CFG(BDF, 0x04), 4, 0xffffffff);
	assert_int_equal(rd(4, CFG(BDF, 0x04), 4), 0x00100406);
	wr(4, CFG(BDF, 0x04), 2, 0);
	assert_int_equal(rd(4, CFG(BDF, 0x04), 2), 0);
	/* BAR0 sizing: all ones read back as the 4 KiB mask. */
	wr(4, CFG(BDF, 0x10), 4, 0xffffffff);
	assert_int_equal(rd(4, CFG(BDF, 0x10), 4), 0xfffff000);
	wr(4, CFG(BDF, 0x10), 4, BAR_A | 0x123);
	assert_int_equal(rd(4, CFG(BDF, 0x10), 4), BAR_A);
	/* BAR1 does not exist (no MSI-X). */
	wr(4, CFG(BDF, 0x14), 4, 0xffffffff);
	assert_int_equal(rd(4, CFG(BDF, 0x14), 4), 0);
	/* Interrupt line is the guest's; one-shot is bit 0 only. */
	wr(4, CFG(BDF, 0x3c), 1, 0x42);
	assert_int_equal(rd(4, CFG(BDF, 0x3c), 1), 0x42);
	wr(4, CFG(BDF, 0x40), 4, 0xff000000);
	assert_int_equal(rd(4, CFG(BDF, 0x40), 4), 0x01200009);
	/* Peer b's config space is its own. */
	assert_int_equal(rd(5, CFG(BDF, 0x10), 4), 0);
	assert_int_equal(rd(5, CFG(BDF, 0x3c), 1), 0);
	/* A restart puts a's config space back to reset. */
	assert_int_equal(hvt_run_script(ia, "#!hvsim-guest\nhalt\n"), 0);
	assert_int_equal(rd(4, CFG(BDF, 0x10), 4), 0);
	assert_int_equal(rd(4, CFG(BDF, 0x04), 2), 0);
}

static void test_bar_64k_mask(void **state)
{
	struct hvt_cell a;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	a.pci[0].bar_mask[0] = 0xffff0000;
	assert_true(hvt_create(&a) > 0);
	wr(4, CFG(BDF, 0x10), 4, 0xffffffff);
	assert_int_equal(rd(4, CFG(BDF, 0x10), 4), 0xffff0000);
	wr(4, CFG(BDF, 0x10), 4, BAR_A);
	wr(4, CFG(BDF, 0x04), 2, VPCI_CMD_MEM);
	/* The whole 64 KiB decode; the registers are at its start. */
	assert_int_equal(rd(4, BAR_A + 0xfffc, 4), 0);
	assert_int_equal(rd(4, BAR_A + HV_IVSHMEM_REG_MAX_PEERS, 4), 2);
	{
		uint64_t v = 0;

		assert_int_equal(mmio_handle_access(per_cpu(4),
						    BAR_A + 0x10000, 4, false,
						    &v), MMIO_UNHANDLED);
	}
}

/* Both peers with BAR0 at BAR_A (each cell its own address space). */
static void map_bars(void)
{
	unsigned int cpu;

	for (cpu = 4; cpu <= 5; cpu++) {
		wr(cpu, CFG(BDF, 0x10), 4, BAR_A);
		wr(cpu, CFG(BDF, 0x04), 2, VPCI_CMD_MEM);
	}
}

static void test_bar0_registers(void **state)
{
	struct ivshmem_endpoint *ea, *eb;
	uint64_t v = 0;
	int ia, ib;

	(void)state;
	two_peers(&ia, &ib);
	/* Memory decoding off: the BAR is nowhere. */
	wr(4, CFG(BDF, 0x10), 4, BAR_A);
	assert_int_equal(mmio_handle_access(per_cpu(4), BAR_A, 4, false, &v),
			 MMIO_UNHANDLED);
	map_bars();
	ea = ivshmem_find_endpoint(cell_find((unsigned int)ia), BDF);
	eb = ivshmem_find_endpoint(cell_find((unsigned int)ib), BDF);
	assert_int_equal(rd(4, BAR_A + HV_IVSHMEM_REG_ID, 4), 0);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_ID, 4), 1);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_MAX_PEERS, 4), 2);
	/* ID is read-only; the doorbell reads 0; beyond the registers 0. */
	wr(5, BAR_A + HV_IVSHMEM_REG_ID, 4, 7);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_ID, 4), 1);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4), 0);
	assert_int_equal(rd(5, BAR_A + 0x800, 4), 0);
	/* Only aligned 32-bit accesses: others read 0, writes vanish. */
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_ID, 1), 0);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_MAX_PEERS, 8), 0);
	wr(5, BAR_A + HV_IVSHMEM_REG_INT_CTRL, 1, 1);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_INT_CTRL, 4), 0);
	wr(5, BAR_A + HV_IVSHMEM_REG_INT_CTRL, 4, 0xffffffff);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_INT_CTRL, 4), 1);

	/* A doorbell to b: delivered and counted. */
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(1, 0));
	assert_int_equal(eb->doorbells_received, 1);
	/* Vectors b lacks, absent peers, and a's own disabled line: none. */
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(1, 1));
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(2, 0));
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4,
	   HV_IVSHMEM_DOORBELL(0xffff, 0));
	wr(5, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(0, 0));
	assert_int_equal(eb->doorbells_received, 1);
	assert_int_equal(ea->doorbells_received, 0);
	/* INTx disabled in b's Command register: nothing reaches it. */
	wr(5, CFG(BDF, 0x04), 2, VPCI_CMD_MEM | VPCI_CMD_INTX_OFF);
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(1, 0));
	assert_int_equal(eb->doorbells_received, 1);
	wr(5, CFG(BDF, 0x04), 2, VPCI_CMD_MEM);
	/* One-shot: the first doorbell clears b's enable bit. */
	wr(5, CFG(BDF, HV_IVSHMEM_CFG_PRIV_CNTL), 1, 1);
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(1, 0));
	wr(4, BAR_A + HV_IVSHMEM_REG_DOORBELL, 4, HV_IVSHMEM_DOORBELL(1, 0));
	assert_int_equal(eb->doorbells_received, 2);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_INT_CTRL, 4), 0);

	/* State: mirrored into b's slot of the table, read back. */
	wr(5, BAR_A + HV_IVSHMEM_REG_STATE, 4, 0x55);
	assert_int_equal(peek(LINK + 4), 0x55);
	assert_int_equal(peek(LINK), 0);
	assert_int_equal(rd(5, BAR_A + HV_IVSHMEM_REG_STATE, 4), 0x55);
	assert_int_equal(rd(4, BAR_A + HV_IVSHMEM_REG_STATE, 4), 0);
}

/* Spec 6.3: the state table and b's output are read-only for a. */
static void test_sections_read_only(void **state)
{
	struct hvt_cell a, b;
	unsigned int s;
	int ia, ib;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	s = a.pci[0].shmem_regions_start;
	/* A config that grants too much: write on every section. */
	a.mem[s].flags |= HV_MEM_WRITE;
	a.mem[s + 3].flags |= HV_MEM_WRITE;
	ia = hvt_create(&a);
	assert_true(ia > 0);
	link_peer(&b, "b", 5, B_RAM, 1);
	ib = hvt_create(&b);
	assert_true(ib > 0);

	/* Its own output section is writable ... */
	assert_int_equal(hvt_run_script(ia,
		"#!hvsim-guest\nwrite 0x7fb01000 0x1234\nprint own ok\nhalt\n"), 0);
	hvt_run_until_console(ia, "own ok\n", 2000);
	assert_false(per_cpu(4)->failed);
	assert_int_equal(peek(0x7fb01000), 0x1234);
	/* ... the state table is not, despite its flags ... */
	assert_int_equal(hvt_run_script(ia,
		"#!hvsim-guest\nwrite 0x7fb00004 0x99\nprint survived\n"), 0);
	hvt_run_ms(5);
	assert_true(per_cpu(4)->failed);
	assert_int_equal(peek(LINK + 4), 0);
	/* ... and neither is b's output section. */
	assert_int_equal(hvt_run_script(ia,
		"#!hvsim-guest\nwrite 0x7fb80000 0x77\nprint survived\n"), 0);
	hvt_run_ms(5);
	assert_true(per_cpu(4)->failed);
	assert_int_equal(peek(0x7fb80000), 0);
	assert_false(per_cpu(5)->failed);
}

/* A peer that fails leaves: its state reads 0, the others get told. */
static void test_failed_peer_leaves(void **state)
{
	struct ivshmem_endpoint *ea, *eb;
	int ia, ib;

	(void)state;
	two_peers(&ia, &ib);
	ea = ivshmem_find_endpoint(cell_find((unsigned int)ia), BDF);
	eb = ivshmem_find_endpoint(cell_find((unsigned int)ib), BDF);
	/* b sets its state, then writes the state table when woken. */
	assert_int_equal(hvt_run_script(ib,
		"#!hvsim-guest\nivshmem 00:01.0 enable\nivshmem 00:01.0 state 2\nprint set\nwait_irq\nwrite 0x7fb00000 1\n"),
		0);
	hvt_run_until_console(ib, "set\n", 2000);
	assert_int_equal(peek(LINK + 4), 2);
	assert_int_equal(eb->state, 2);
	assert_false(per_cpu(5)->failed);
	/* a's state change wakes b, whose failure must wake a. */
	assert_int_equal(hvt_run_script(ia,
		"#!hvsim-guest\nivshmem 00:01.0 enable\nivshmem 00:01.0 state 1\nwait_irq\nprint told\nhalt\n"),
		0);
	hvt_run_until_console(ia, "told\n", 2000);
	assert_true(per_cpu(5)->failed);
	assert_int_equal(eb->state, 0);
	assert_int_equal(peek(LINK + 4), 0);
	assert_int_equal(ea->state, 1);
	assert_true(hvt_console_is(ia, "told\n"));
	/* The failed peer is deaf: doorbells to it vanish. */
	assert_int_equal(eb->int_ctrl, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_space_ids,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_config_space_writes,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_bar_64k_mask,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_bar0_registers,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_sections_read_only,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_failed_peer_leaves,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
