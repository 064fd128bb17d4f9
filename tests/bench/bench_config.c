// SPDX-License-Identifier: MIT
/*
 * Benchmark: compile a JSON cell config of n memory regions to its binary
 * form and check it against a system config, for n = 1k, 10k, 100k.
 *
 * The regions are 4K pages in shuffled order, all backed by the root
 * cell's RAM and apart from each other, so the checker sorts and sweeps
 * every one of them and the only finding is the config's size (over the
 * hypervisor's 16 pages from about 2,000 regions on). Prints the fastest
 * and the median of several runs, and how the check time grows with n;
 * it asserts no timings (targets: 10k compile + check < 50 ms, 100k check
 * < 1 s).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hvctl/config.h>

#define RAM_BASE	0x100000000ull

static const char system_json[] =
	"{ \"type\": \"system\", \"architecture\": \"arm64\",\n"
	"  \"hypervisor_memory\": { \"phys_start\": \"0x7fc00000\", \"size\": \"4M\" },\n"
	"  \"platform_info\": { \"arm\": { \"gic_version\": 3, \"gicd_base\": \"0x08000000\" } },\n"
	"  \"root_cell\": { \"name\": \"bench-root\", \"cpu_set\": \"0-3\",\n"
	"    \"memory_regions\": [ { \"phys_start\": \"0x100000000\", \"virt_start\": \"0x100000000\",\n"
	"      \"size\": \"64G\", \"flags\": [\"read\", \"write\", \"execute\"] } ] } }\n";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The JSON text of a cell with n one-page regions in shuffled order. */
static char *cell_json(size_t n)
{
	size_t cap = 256 + n * 128, len = 0, i;
	uint64_t seed = 0x243f6a8885a308d3ull;
	uint32_t *order;
	char *buf;

	buf = malloc(cap);
	order = malloc(n * sizeof(*order));
	if (!buf || !order) {
		free(buf);
		free(order);
		return NULL;
	}
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	for (i = n; i > 1; i--) {
		size_t j;
		uint32_t t;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		j = (size_t)((seed >> 33) % i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	len += (size_t)snprintf(buf + len, cap - len,
		"{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"bench\",\n"
		"  \"cpu_set\": \"1\",\n  \"memory_regions\": [\n");
	for (i = 0; i < n; i++) {
		/* Every other page, so neighbours do not even touch. */
		uint64_t addr = RAM_BASE + (uint64_t)order[i] * 0x2000;

		len += (size_t)snprintf(buf + len, cap - len,
			"    { \"phys_start\": \"0x%" PRIx64 "\", \"virt_start\": \"0x%" PRIx64
			"\", \"size\": \"4K\", \"flags\": [\"read\", \"write\"] }%s\n",
			addr, addr, i + 1 < n ? "," : "");
	}
	snprintf(buf + len, cap - len, "  ] }\n");
	free(order);
	return buf;
}

struct result {
	double compile_min, compile_med;
	double check_min, check_med;
	double both_min, both_med;
	size_t findings;
	bool too_large;		/* the one finding is "too large" */
};

static int run(size_t n, int runs, const struct hvctl_config *sys,
	       struct result *res)
{
	double compile_ms[16], check_ms[16], both_ms[16];
	char *text = cell_json(n);
	int r;

	if (!text)
		return -ENOMEM;
	for (r = 0; r < runs; r++) {
		struct hvctl_error err = { .msg = "" };
		struct hvctl_config *cell;
		struct hvctl_findings *f;
		const struct hvctl_config *cells[1];
		double t0, t1, t2;
		int ret;

		t0 = now_ms();
		ret = hvctl_config_parse_json(&cell, text, "bench.json", &err);
		t1 = now_ms();
		if (ret) {
			fprintf(stderr, "bench_config: %s\n", err.msg);
			free(text);
			return ret;
		}
		cells[0] = cell;
		ret = hvctl_config_check(sys, cells, 1, &f);
		t2 = now_ms();
		if (ret) {
			fprintf(stderr, "bench_config: check: %s\n", strerror(-ret));
			hvctl_config_free(cell);
			free(text);
			return ret;
		}
		compile_ms[r] = t1 - t0;
		check_ms[r] = t2 - t1;
		both_ms[r] = t2 - t0;
		res->findings = f->count;
		res->too_large = f->count == 1 &&
			strstr(f->items[0].message, "too large for the hypervisor");
		hvctl_findings_free(f);
		hvctl_config_free(cell);
	}
	free(text);
	qsort(compile_ms, (size_t)runs, sizeof(double), cmp_double);
	qsort(check_ms, (size_t)runs, sizeof(double), cmp_double);
	qsort(both_ms, (size_t)runs, sizeof(double), cmp_double);
	res->compile_min = compile_ms[0];
	res->compile_med = compile_ms[runs / 2];
	res->check_min = check_ms[0];
	res->check_med = check_ms[runs / 2];
	res->both_min = both_ms[0];
	res->both_med = both_ms[runs / 2];
	return 0;
}

int main(void)
{
	static const size_t sizes[] = { 1000, 10000, 100000 };
	static const int runs[] = { 9, 7, 5 };
	struct result res[3];
	struct hvctl_error err = { .msg = "" };
	struct hvctl_config *sys;
	bool ok = true, want_large;
	size_t i;

	if (hvctl_config_parse_json(&sys, system_json, "bench-system.json", &err)) {
		fprintf(stderr, "bench_config: %s\n", err.msg);
		return 1;
	}
	printf("bench_config: JSON compile + check of a cell with n memory regions\n");
	printf("%8s %5s %20s %20s %20s %10s\n", "regions", "runs",
	       "compile ms min/med", "check ms min/med", "both ms min/med",
	       "too large");
	for (i = 0; i < 3; i++) {
		if (run(sizes[i], runs[i], sys, &res[i])) {
			hvctl_config_free(sys);
			return 1;
		}
		/* 132-byte descriptor, 8-byte CPU set, 32 bytes a region. */
		want_large = 140 + 32 * (uint64_t)sizes[i] > 16 * 4096;
		printf("%8zu %5d %9.2f/%-10.2f %9.2f/%-10.2f %9.2f/%-10.2f %10s\n",
		       sizes[i], runs[i], res[i].compile_min, res[i].compile_med,
		       res[i].check_min, res[i].check_med, res[i].both_min,
		       res[i].both_med, res[i].too_large ? "reported" :
		       res[i].findings ? "?" : "no (fits)");
		/* Correctness, not timing: the size finding exactly when due. */
		if (res[i].too_large != want_large ||
		    res[i].findings != (want_large ? 1u : 0u)) {
			fprintf(stderr, "bench_config: %zu regions: %zu findings, expected %s\n",
				sizes[i], res[i].findings,
				want_large ? "only 'too large'" : "none");
			ok = false;
		}
	}

	printf("\ngrowth of the check (median), against n log n:\n");
	for (i = 1; i < 3; i++) {
		double measured = res[i].check_med / res[i - 1].check_med;
		double nlogn = (sizes[i] * log((double)sizes[i])) /
			       (sizes[i - 1] * log((double)sizes[i - 1]));

		printf("  %6zu -> %6zu: x%.1f (n log n: x%.1f, n^2: x%.0f); %.3f us per region\n",
		       sizes[i - 1], sizes[i], measured, nlogn,
		       (double)(sizes[i] / sizes[i - 1]) * (sizes[i] / sizes[i - 1]),
		       res[i].check_med * 1e3 / sizes[i]);
	}
	printf("\ntargets: 10k compile + check %.2f ms (< 50 ms), 100k check %.2f ms (< 1000 ms)\n",
	       res[1].both_med, res[2].check_med);
	hvctl_config_free(sys);
	return ok ? 0 : 1;
}
