// SPDX-License-Identifier: MIT
/*
 * HV_HC_STATS_READ: the report's content (cells, CPUs, pools, ivshmem links
 * with doorbells rung and received) and the checks on the root's buffer:
 * only the root calls it, and only into its own writable RAM, never into
 * hypervisor memory, device memory or a region of another cell; a refused
 * call writes nothing.
 */
#include "hv_test.h"

#include <hvabi/stats.h>

#include <hv/ivshmem.h>

#define BUF_GPA		0x50000000ULL
#define A_RAM		0x7e000000ULL
#define B_RAM		0x7e100000ULL
#define SHARED_RAM	0x7e200000ULL
#define BDF		0x0008		/* 00:01.0 */

static uint8_t report[1 << 16];

static int64_t read_report(struct per_cpu *caller, uint64_t gpa,
			   uint64_t size)
{
	int64_t ret = hv_hypercall(caller, HV_HC_STATS_READ, gpa, size);

	if (ret > 0) {
		assert_true((size_t)ret <= sizeof(report));
		assert_int_equal(simmem_read(&hvt_sb->mem, report, gpa, (size_t)ret), 0);
	}
	return ret;
}

static const struct hv_stats_header *hdr(void)
{
	return (const struct hv_stats_header *)report;
}

static const struct hv_stats_cell *cell_rec(unsigned int n)
{
	return (const struct hv_stats_cell *)(report + hdr()->header_size +
					      n * hdr()->cell_size);
}

static const struct hv_stats_cpu *cpu_rec(unsigned int n)
{
	return (const struct hv_stats_cpu *)(report + hdr()->header_size +
					     hdr()->num_cells * hdr()->cell_size +
					     n * hdr()->cpu_size);
}

static const struct hv_stats_link *link_rec(unsigned int n)
{
	return (const struct hv_stats_link *)(report + hdr()->header_size +
					      hdr()->num_cells * hdr()->cell_size +
					      hdr()->num_cpus * hdr()->cpu_size +
					      n * hdr()->link_size);
}

static const struct hv_stats_trailer *trailer(void)
{
	return (const struct hv_stats_trailer *)(report + hdr()->total_size -
						 sizeof(struct hv_stats_trailer));
}

static void assert_msg(const char *part)
{
	if (!strstr(hv_error(), part))
		fail_msg("\"%s\" lacks \"%s\"", hv_error(), part);
}

static void link_peer(struct hvt_cell *c, const char *name, unsigned int cpu,
		      uint64_t ram, uint8_t id)
{
	hvt_small_cell(c, name, cpu, ram);
	hvt_ivshmem(c, BDF, hvt_link_regions(c, id, HV_MEM_ROOTSHARED), id, 2);
}

/* Every cell and CPU, the pools, and the call's own hypercall exit. */
static void test_report_content(void **state)
{
	struct per_cpu *root0;
	struct hvt_cell a;
	unsigned int cpu, k;
	uint64_t size;
	int64_t ret;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	root0 = per_cpu(0);
	hvt_small_cell(&a, "a", 4, A_RAM);
	ia = hvt_create(&a);
	assert_true(ia > 0);
	per_cpu(4)->stats[HV_STAT_MMIO] = 0x80000005u;	/* read as 31 bits */
	per_cpu(5)->stats[HV_STAT_PSCI] = 3;

	size = (uint64_t)hv_hypercall(root0, HV_HC_STATS_READ, 0, 0);
	assert_int_equal(size, HV_STATS_SIZE(2, 8, 0));
	ret = read_report(root0, BUF_GPA, 8192);
	assert_int_equal(ret, (int64_t)size);
	assert_int_equal(hdr()->magic, HV_STATS_MAGIC);
	assert_int_equal(hdr()->version, HV_STATS_VERSION);
	assert_int_equal(hdr()->header_size, sizeof(struct hv_stats_header));
	assert_int_equal(hdr()->total_size, size);
	assert_int_equal(hdr()->num_stats, HV_NUM_CPU_STATS);
	assert_int_equal(hdr()->num_cells, 2);
	assert_int_equal(hdr()->num_cpus, 8);
	assert_int_equal(hdr()->num_links, 0);
	assert_int_equal(hdr()->mem_pool_size, mem_pool.pages);
	assert_int_equal(hdr()->mem_pool_used, mem_pool.used);
	assert_int_equal(hdr()->remap_pool_used, remap_pool.used);
	assert_int_equal(trailer()->magic, HV_STATS_TRAILER_MAGIC);
	assert_int_equal(trailer()->sequence, hdr()->sequence);

	assert_int_equal(cell_rec(0)->id, 0);
	assert_int_equal(cell_rec(0)->num_cpus, 7);
	assert_int_equal(cell_rec(0)->state, HV_CELL_RUNNING);
	assert_int_equal(cell_rec(1)->id, (unsigned int)ia);
	assert_int_equal(cell_rec(1)->num_cpus, 1);
	assert_int_equal(cell_rec(1)->state, HV_CELL_SHUT_DOWN);
	assert_int_equal(cell_rec(1)->stats[HV_STAT_MMIO], 5);
	assert_int_equal(cell_rec(0)->stats[HV_STAT_PSCI], 3);
	/* Both the size query and this call are counted, before the copy. */
	assert_int_equal(cpu_rec(0)->stats[HV_STAT_HYPERCALL],
			 hvt_stat(0, HV_STAT_HYPERCALL));
	assert_true(cpu_rec(0)->stats[HV_STAT_HYPERCALL] >= 2);
	for (cpu = 0; cpu < 8; cpu++) {
		assert_int_equal(cpu_rec(cpu)->cpu_id, cpu);
		assert_int_equal(cpu_rec(cpu)->cell_id, cpu == 4 ? ia : 0);
		assert_int_equal(cpu_rec(cpu)->flags, HV_STATS_CPU_ONLINE);
		assert_int_equal(cpu_rec(cpu)->state, HV_CPU_RUNNING);
		for (k = 0; k < HV_NUM_CPU_STATS; k++)
			assert_int_equal(cpu_rec(cpu)->stats[k], hvt_stat(cpu, k));
	}
	/* Each report has its own sequence number. */
	ret = read_report(root0, BUF_GPA, 8192);
	assert_int_equal(ret, (int64_t)size);
	assert_int_equal(trailer()->sequence, hdr()->sequence);
	assert_true(hdr()->sequence >= 2);
}

/* A failed CPU: its state and fault, as CPU_GET_INFO would say. */
static void test_failed_cpu(void **state)
{
	struct per_cpu *root0;
	struct hvt_cell a;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	root0 = per_cpu(0);
	hvt_small_cell(&a, "abort", 1, 0x7f000000);
	ia = hvt_create(&a);
	assert_true(ia > 0);
	cpu_fail_at(per_cpu(1), HV_CPU_FAULT_DATA_ABORT, 0x7fc00000,
		    "test: data abort");
	assert_true(read_report(root0, BUF_GPA, 8192) > 0);
	assert_int_equal(cpu_rec(1)->state, HV_CPU_FAILED);
	assert_int_equal(cpu_rec(1)->fault,
			 hv_hypercall(root0, HV_HC_CPU_GET_INFO, 1,
				      HV_CPU_INFO_FAULT));
	assert_int_equal(cpu_rec(1)->fault_addr,
			 (uint64_t)hv_hypercall(root0, HV_HC_CPU_GET_INFO, 1,
						HV_CPU_INFO_FAULT_ADDR));
	assert_int_equal(cell_rec(1)->state, HV_CELL_FAILED);
}

/* Links: present peers with State, interrupts and doorbells both ways. */
static void test_links(void **state)
{
	struct per_cpu *root0;
	struct ivshmem_endpoint *ea, *eb;
	struct hvt_cell a, b;
	const struct hv_stats_link *l;
	uint32_t v;
	int ia, ib;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	root0 = per_cpu(0);
	link_peer(&a, "a", 4, A_RAM, 0);
	ia = hvt_create(&a);
	assert_true(ia > 0);
	link_peer(&b, "b", 5, B_RAM, 1);
	ib = hvt_create(&b);
	assert_true(ib > 0);
	ea = ivshmem_find_endpoint(cell_find((unsigned int)ia), BDF);
	eb = ivshmem_find_endpoint(cell_find((unsigned int)ib), BDF);
	assert_non_null(ea);
	assert_non_null(eb);
	v = 1;
	assert_int_equal(ivshmem_register_access(per_cpu(5), eb,
						 IVSHMEM_REG_INT_CTRL, true,
						 &v), 0);
	v = 3;
	assert_int_equal(ivshmem_register_access(per_cpu(4), ea,
						 IVSHMEM_REG_STATE, true, &v),
			 0);
	/* Twice to b (interrupts on), once to a (off), once to nobody. */
	v = 1 << 16;
	assert_int_equal(ivshmem_register_access(per_cpu(4), ea,
						 IVSHMEM_REG_DOORBELL, true,
						 &v), 0);
	assert_int_equal(ivshmem_register_access(per_cpu(4), ea,
						 IVSHMEM_REG_DOORBELL, true,
						 &v), 0);
	v = 0;
	assert_int_equal(ivshmem_register_access(per_cpu(5), eb,
						 IVSHMEM_REG_DOORBELL, true,
						 &v), 0);
	v = 7 << 16;
	assert_int_equal(ivshmem_register_access(per_cpu(4), ea,
						 IVSHMEM_REG_DOORBELL, true,
						 &v), 0);

	assert_int_equal(read_report(root0, BUF_GPA, 16384),
			 (int64_t)HV_STATS_SIZE(3, 8, 1));
	assert_int_equal(hdr()->num_links, 1);
	assert_int_equal(hdr()->max_peers, HV_IVSHMEM_MAX_PEERS);
	l = link_rec(0);
	assert_int_equal(l->domain, 1);
	assert_int_equal(l->bdf, BDF);
	assert_int_equal(l->max_peers, 2);
	assert_int_equal(l->peers[0].cell_id, ia);
	assert_int_equal(l->peers[0].state, 3);
	assert_int_equal(l->peers[0].int_ctrl, 0);
	assert_int_equal(l->peers[0].doorbells_rung, 3);
	assert_int_equal(l->peers[0].doorbells_received, 0);
	assert_int_equal(l->peers[1].cell_id, ib);
	assert_int_equal(l->peers[1].int_ctrl, 1);
	assert_int_equal(l->peers[1].doorbells_rung, 1);
	assert_int_equal(l->peers[1].doorbells_received, 2);
	assert_int_equal(l->peers[2].cell_id, -1);
	assert_int_equal(l->peers[11].cell_id, -1);
	assert_int_equal(trailer()->sequence, hdr()->sequence);

	/* A destroyed peer leaves its slot; the last one takes the link. */
	assert_int_equal(hvt_destroy(ib), 0);
	assert_true(read_report(root0, BUF_GPA, 16384) > 0);
	assert_int_equal(link_rec(0)->peers[1].cell_id, -1);
	assert_int_equal(hvt_destroy(ia), 0);
	assert_int_equal(read_report(root0, BUF_GPA, 16384),
			 (int64_t)HV_STATS_SIZE(1, 8, 0));
}

/* Only the root cell may ask. */
static void test_root_only(void **state)
{
	struct hvt_cell a;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 4, A_RAM);
	ia = hvt_create(&a);
	assert_true(ia > 0);
	assert_int_equal(hv_hypercall(per_cpu(4), HV_HC_STATS_READ, 0, 0),
			 -EPERM);
	assert_int_equal(hv_hypercall(per_cpu(4), HV_HC_STATS_READ, 0, 4096),
			 -EPERM);
	assert_msg("only the root cell");
}

/* Refused buffers, each with nothing written. */
static void assert_refused(uint64_t gpa, uint64_t size, int64_t err,
			   const char *why)
{
	static uint8_t before[8192], after[8192];
	bool readable = !simmem_read(&hvt_sb->mem, before, gpa, sizeof(before));

	assert_int_equal(hv_hypercall(per_cpu(0), HV_HC_STATS_READ, gpa, size),
			 err);
	assert_msg(why);
	if (readable) {
		assert_int_equal(simmem_read(&hvt_sb->mem, after, gpa, sizeof(after)), 0);
		assert_memory_equal(before, after, sizeof(before));
	}
}

static void test_buffer_checks(void **state)
{
	struct hvt_cell a;
	uint64_t need;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 4, A_RAM);
	/* A RAM page the root keeps mapped while it is a's. */
	hvt_mem(&a, SHARED_RAM, 0x200000, 0x1000, HV_MEM_READ | HV_MEM_WRITE |
		HV_MEM_ROOTSHARED);
	ia = hvt_create(&a);
	assert_true(ia > 0);
	need = (uint64_t)hv_hypercall(per_cpu(0), HV_HC_STATS_READ, 0, 0);

	/* Too small: E2BIG, with the size it needs. */
	assert_refused(BUF_GPA, need - 1, -E2BIG, "the report needs");
	assert_refused(BUF_GPA, 16, -E2BIG, "the report needs");
	/* Hypervisor memory, never mapped in the root. */
	assert_refused(0x7fc00000, 8192, -EINVAL, "is not mapped");
	/* Past the end of root RAM, although it starts inside. */
	assert_refused(0x7fa00000 - 4096, 8192, -EINVAL, "0x7fa00000 is not mapped");
	/* Device memory of the root. */
	assert_refused(0x08f00000, 8192, -EINVAL, "is not writable RAM");
	/* The ivshmem state table the root may only read. */
	assert_refused(0x7fb00000, 8192, -EINVAL, "is not writable RAM");
	/* a's RAM: gone from the root. */
	assert_refused(A_RAM, 8192, -EINVAL, "is not mapped");
	/* Still mapped in the root, but a's. */
	assert_refused(SHARED_RAM, 8192, -EINVAL, "is not the root cell's own memory");
	assert_refused(SHARED_RAM - 4096, 8192, -EINVAL,
		       "0x7e200000 is not the root cell's own memory");
	/* Wrapping, empty and absurd sizes. */
	assert_refused(~0ULL - 100, 8192, -EINVAL, "wraps");
	assert_refused(BUF_GPA, 0, -EINVAL, "empty");
	assert_refused(BUF_GPA, 1ULL << 40, -EINVAL, "more than");
	/* The same buffer, big enough, is accepted. */
	assert_int_equal(read_report(per_cpu(0), BUF_GPA + 100, need),
			 (int64_t)need);
	assert_int_equal(hdr()->magic, HV_STATS_MAGIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_content,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_failed_cpu,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_links,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_only,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_buffer_checks,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
