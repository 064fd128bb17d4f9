// SPDX-License-Identifier: MIT
/*
 * ivshmem links in the core: every peer lists the same shared memory, the
 * hypervisor writes only a peer's own state-table slot, and nothing of a
 * link outlives the peers that grant its memory. Also the upstream config
 * patterns the core accepts (peer ids up to the maximum peer count, empty
 * output sections) and the ones it refuses, with the named reason.
 */
#include "hv_test.h"

#include <hv/ivshmem.h>

#define A_RAM		0x7e000000ULL
#define B_RAM		0x7e100000ULL
#define LINK		0x7fb00000ULL
#define BDF		0x0008		/* 00:01.0 */

static uint32_t peek(uint64_t phys)
{
	uint32_t v = 0;

	assert_int_equal(simmem_read(&hvt_sb->mem, &v, phys, sizeof(v)), 0);
	return v;
}

static void poke(uint64_t phys, uint32_t v)
{
	assert_int_equal(simmem_write(&hvt_sb->mem, phys, &v, sizeof(v)), 0);
}

/* A peer of the 00:01.0 link at LINK, as ivshmem-a/b.json have it. */
static void link_peer(struct hvt_cell *c, const char *name, unsigned int cpu,
		      uint64_t ram, uint8_t id)
{
	hvt_small_cell(c, name, cpu, ram);
	hvt_ivshmem(c, BDF, hvt_link_regions(c, id, HV_MEM_ROOTSHARED), id, 2);
}

static void assert_msg(const char *part)
{
	if (!strstr(hvt_msg, part))
		fail_msg("\"%s\" lacks \"%s\"", hvt_msg, part);
}

/* The RAM a cell would get, as bytes, to see whether anything wrote it. */
static void snapshot(uint64_t phys, uint8_t *buf, size_t len)
{
	assert_int_equal(simmem_read(&hvt_sb->mem, buf, phys, len), 0);
}

/*
 * The audit's scenario: peer 0 keeps its state table in its own RAM, peer 1
 * joins with an empty state-table slot. Before, peer 1 was accepted and,
 * once peer 0 was gone and a new cell sat on its RAM, peer 1's State write
 * landed in the new cell.
 */
static void test_empty_state_table_refused(void **state)
{
	struct hvt_cell a, b;
	struct hv_memory *st;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	st = &a.mem[a.pci[0].shmem_regions_start];
	st->phys_start = A_RAM + 0xff000;	/* inside a's own RAM */
	st->flags = HV_MEM_READ;
	ia = hvt_create(&a);
	assert_true(ia > 0);

	link_peer(&b, "b", 5, B_RAM, 1);
	memset(&b.mem[b.pci[0].shmem_regions_start], 0, sizeof(*st));
	assert_int_equal(hvt_create(&b), -EINVAL);
	assert_msg("ivshmem 00:01.0: the state table (memory region 3) is empty");
	assert_null(cell_find_name("b"));

	/* The same table in b's config overlaps a's exclusive RAM. */
	link_peer(&b, "b", 5, B_RAM, 1);
	b.mem[b.pci[0].shmem_regions_start] = *st;
	assert_int_equal(hvt_create(&b), -EBUSY);
	assert_null(cell_find_name("b"));
}

/* End to end: the remaining peer writes its State, a new cell is untouched. */
static void test_new_cell_on_old_ram_untouched(void **state)
{
	static uint8_t before[0x100000], after[0x100000];
	static const char b_state[] =
		"#!hvsim-guest\nivshmem 00:01.0 state 0x1234\n";
	struct ivshmem_link *link;
	struct hvt_cell a, b, c;
	int ia, ib, ic;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	link_peer(&b, "b", 5, B_RAM, 1);
	ia = hvt_create(&a);
	ib = hvt_create(&b);
	assert_true(ia > 0 && ib > 0);
	assert_int_equal(hvt_destroy(ia), 0);
	link = ivshmem_find_link(1, BDF);
	assert_non_null(link);
	assert_null(link->eps[0].cell);

	hvt_small_cell(&c, "c", 4, A_RAM);
	ic = hvt_create(&c);
	assert_true(ic > 0);
	assert_int_equal(hvt_load(ic, "marker", 7, 0xff000), 0);
	snapshot(A_RAM, before, sizeof(before));
	assert_int_equal(hvt_run_script(ib, b_state), 0);
	hvt_run_ms(2);
	assert_false(per_cpu(5)->failed);
	/* The write went to b's slot of the link's own state table ... */
	assert_int_equal(peek(LINK + 4), 0x1234);
	/* ... and nowhere into the new cell. */
	snapshot(A_RAM, after, sizeof(after));
	assert_memory_equal(before, after, sizeof(before));

	/* A new cell may not take the link's memory while b uses it. */
	assert_int_equal(hvt_destroy(ic), 0);
	hvt_small_cell(&c, "c", 4, LINK);
	c.mem[0].size = 0x1000;
	assert_int_equal(hvt_create(&c), -EBUSY);
}

/* Every section must be the same physical memory as the link's. */
static void test_sections_must_match(void **state)
{
	struct hvt_cell a, b;
	unsigned int s;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	assert_true(hvt_create(&a) > 0);

	link_peer(&b, "b", 5, B_RAM, 1);
	s = b.pci[0].shmem_regions_start;
	b.mem[s + 3].phys_start = 0x7f800000;	/* its own output elsewhere */
	b.mem[s + 3].virt_start = 0x7f800000;
	assert_int_equal(hvt_create(&b), -EINVAL);
	assert_msg("the output section of peer 1 (memory region 6: phys 0x7f800000, size 0x7f000) is not the link's (phys 0x7fb80000, size 0x7f000, as cell \"a\" has it)");

	link_peer(&b, "b", 5, B_RAM, 1);
	b.mem[s].phys_start = 0x7f800000;
	b.mem[s].virt_start = 0x7f800000;
	assert_int_equal(hvt_create(&b), -EINVAL);
	assert_msg("the state table (memory region 3");

	link_peer(&b, "b", 5, B_RAM, 1);
	b.mem[s + 1] = b.mem[s + 2];		/* a r/w section a lacks */
	b.mem[s + 1].virt_start = 0x7f800000;
	assert_int_equal(hvt_create(&b), -EINVAL);
	assert_msg("the read/write section");

	link_peer(&b, "b", 5, B_RAM, 1);
	b.mem[s].size = 0x800;			/* a shorter state table */
	assert_int_equal(hvt_create(&b), -EINVAL);
	assert_null(cell_find_name("b"));

	link_peer(&b, "b", 5, B_RAM, 1);
	assert_true(hvt_create(&b) > 0);
}

/* The root as a peer: a non-peer cell may not take the link's memory. */
static void test_root_link_memory_kept(void **state)
{
	static uint8_t buf[HVT_BUF];
	struct hvt_cell root, d;
	size_t len;

	(void)state;
	hvt_root(&root, 8);
	hvt_ivshmem(&root, BDF, 3, 0, 2);	/* the regions at LINK */
	len = hvt_system_bytes(&root, 0, buf);
	assert_int_equal(drv_enable(hvt_sb, buf, len, hvt_msg), 0);
	assert_non_null(ivshmem_find_link(1, BDF));

	hvt_small_cell(&d, "d", 4, LINK);
	d.mem[0].size = 0x1000;
	assert_int_equal(hvt_create(&d), -EBUSY);
	assert_msg("memory region 0 (phys 0x7fb00000) overlaps the state table of ivshmem link 00:01.0, which is in use");
	/* Beside the link it is fine. */
	hvt_small_cell(&d, "d", 4, A_RAM);
	assert_true(hvt_create(&d) > 0);
}

/* The last peer leaving: no write, and the link forgets its memory. */
static void test_link_forgotten(void **state)
{
	struct hvt_cell a;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	poke(LINK, 0xdead);
	poke(LINK + 4, 0xbeef);
	link_peer(&a, "a", 4, A_RAM, 0);
	ia = hvt_create(&a);
	assert_true(ia > 0);
	/* A new link starts zeroed. */
	assert_int_equal(peek(LINK), 0);
	assert_int_equal(peek(LINK + 4), 0);
	assert_int_equal(hvt_run_script(ia, "#!hvsim-guest\nivshmem 00:01.0 state 7\n"),
			 0);
	hvt_run_ms(2);
	assert_int_equal(peek(LINK), 7);
	poke(LINK + 0x100, 0x5a5a);
	assert_int_equal(hvt_destroy(ia), 0);
	assert_null(ivshmem_find_link(1, BDF));
	/* No peer is left to read it: the hypervisor wrote nothing. */
	assert_int_equal(peek(LINK), 7);
	assert_int_equal(peek(LINK + 0x100), 0x5a5a);
}

/*
 * Upstream accepts a peer id below its maximum peer count (12), not only
 * below shmem_peers; so does the core, as long as the peer's state slot
 * lies in the state table. Such a peer has no output section.
 */
static void test_peer_id_up_to_max_peers(void **state)
{
	struct hvt_cell a, b;
	uint32_t value = 0;
	struct ivshmem_endpoint *ep;
	int ia, ib;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	ia = hvt_create(&a);
	assert_true(ia > 0);

	link_peer(&b, "b", 5, B_RAM, 1);
	b.pci[0].shmem_dev_id = 12;
	assert_int_equal(hvt_create(&b), -EINVAL);
	assert_msg("shmem_dev_id 12 (peer ids go up to 11, the maximum peer count)");

	link_peer(&b, "b", 5, B_RAM, 1);
	b.pci[0].shmem_dev_id = 11;
	ib = hvt_create(&b);
	assert_true(ib > 0);
	ep = ivshmem_find_endpoint(cell_find((unsigned int)ib), BDF);
	assert_non_null(ep);
	assert_int_equal(ivshmem_register_access(NULL, ep, IVSHMEM_REG_ID,
						 false, &value), 0);
	assert_int_equal(value, 11);
	/* Its State lands in slot 11, a's doorbell reaches it. */
	assert_int_equal(hvt_run_script(ib,
		"#!hvsim-guest\nivshmem 00:01.0 enable\nivshmem 00:01.0 state 9\nwait_irq\nprint rung\n"),
		0);
	hvt_run_ms(2);
	assert_int_equal(peek(LINK + 44), 9);
	assert_int_equal(hvt_run_script(ia, "#!hvsim-guest\nivshmem 00:01.0 ring 11\n"),
			 0);
	hvt_run_ms(2);
	assert_int_equal(ep->doorbells_received, 1);
	assert_false(per_cpu(5)->failed);
}

static void test_state_table_rules(void **state)
{
	struct hvt_cell a;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	a.pci[0].shmem_dev_id = 5;
	a.mem[a.pci[0].shmem_regions_start].size = 0;
	assert_int_equal(hvt_create(&a), -EINVAL);
	assert_msg("is empty");
	/* Device memory as the state table, a comm region as a section. */
	link_peer(&a, "a", 4, A_RAM, 0);
	a.mem[a.pci[0].shmem_regions_start].flags |= HV_MEM_IO;
	assert_int_equal(hvt_create(&a), -EINVAL);
	assert_msg("is I/O memory");
	link_peer(&a, "a", 4, A_RAM, 0);
	a.mem[a.pci[0].shmem_regions_start + 2].flags |= HV_MEM_COMM_REGION;
	assert_int_equal(hvt_create(&a), -EINVAL);
	assert_null(cell_find_name("a"));
}

/* virtio over ivshmem: a peer with an empty output section (size 0). */
static void test_empty_output_section(void **state)
{
	struct hvt_cell a, b;
	unsigned int s;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	link_peer(&a, "a", 4, A_RAM, 0);
	s = a.pci[0].shmem_regions_start;
	memset(&a.mem[s + 3], 0, sizeof(a.mem[0]));
	assert_true(hvt_create(&a) > 0);
	link_peer(&b, "b", 5, B_RAM, 1);
	memset(&b.mem[s + 3], 0, sizeof(b.mem[0]));
	assert_true(hvt_create(&b) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_state_table_refused,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_new_cell_on_old_ram_untouched,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_sections_must_match,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_link_memory_kept,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_link_forgotten,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_peer_id_up_to_max_peers,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_state_table_rules,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_empty_output_section,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
