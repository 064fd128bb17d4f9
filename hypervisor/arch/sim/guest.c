// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated guests: the script format of GUEST.md, parsed once per cell
 * start and run by the simulated CPUs from the event loop. Every guest
 * action that would trap on hardware goes through the core as that exit.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/percpu.h>

#include <sim/guest.h>
#include <sim/sim.h>

/* Statements per CPU per run; then the CPU yields for a millisecond. */
#define GUEST_QUANTUM		256
#define GUEST_YIELD_NS		NSEC_PER_MSEC

enum guest_op {
	OP_PRINT, OP_SLEEP, OP_REPEAT, OP_FOREVER, OP_END, OP_READ, OP_WRITE,
	OP_HYPERCALL, OP_CPU_ON, OP_CPU_OFF, OP_PSCI_VERSION, OP_SMC, OP_SGI,
	OP_IVSHMEM_ENABLE, OP_IVSHMEM_STATE, OP_IVSHMEM_RING, OP_IVSHMEM_SEND,
	OP_WAIT_IRQ, OP_STATE, OP_ON_SHUTDOWN, OP_FAULT, OP_HALT, OP_NOP,
};

struct guest_stmt {
	enum guest_op op;
	unsigned int line;
	uint64_t a, b, c;
	char *text;		/* points into the program's text copy */
	unsigned int jump;	/* repeat/forever: its end; end: its loop */
};

struct guest_label {
	char name[32];
	unsigned int idx;
};

struct guest_prog {
	struct guest_stmt *st;
	unsigned int n;
	struct guest_label *labels;
	unsigned int num_labels;
	char *text;
};

int guest_init(struct sim_board *sb)
{
	struct sim_guest *g = &sb->guest;
	unsigned int cpu;

	g->cpus = calloc(sb->board.cpus, sizeof(*g->cpus));
	if (!g->cpus)
		return -ENOMEM;
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		g->cpus[cpu].sb = sb;
		g->cpus[cpu].id = cpu;
	}
	g->tlb_gen = 0;
	g->ringing_ep = NULL;
	g->rng_state = 0x2545f4914f6cdd1dULL;
	return 0;
}

void guest_exit(struct sim_board *sb)
{
	free(sb->guest.cpus);
	sb->guest.cpus = NULL;
}

static uint64_t rng(struct sim_guest *g)
{
	g->rng_state ^= g->rng_state << 13;
	g->rng_state ^= g->rng_state >> 7;
	g->rng_state ^= g->rng_state << 17;
	return g->rng_state;
}

/* ---- parser -------------------------------------------------------- */

struct parse {
	struct guest_prog *prog;
	unsigned int cap;
	unsigned int line;
	char *err;
	unsigned int errlen;
};

static int perr(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *next_word(char **s)
{
	char *w = *s, *e;

	while (*w == ' ' || *w == '\t')
		w++;
	if (!*w)
		return NULL;
	e = w;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if (*e)
		*e++ = 0;
	*s = e;
	return w;
}

static char *rest_of_line(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool parse_u64(const char *w, uint64_t *v)
{
	char *end;

	if (!w || !*w || *w == '-')
		return false;
	errno = 0;
	*v = strtoull(w, &end, 0);
	return !*end && !errno;
}

static bool parse_duration(const char *w, uint64_t *ns)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "us", NSEC_PER_USEC }, { "ms", NSEC_PER_MSEC },
		{ "s", NSEC_PER_SEC },
	};
	uint64_t v;
	char *end;
	size_t i;

	if (!w || !isdigit((unsigned char)*w))
		return false;
	errno = 0;
	v = strtoull(w, &end, 10);
	if (errno)
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			if (v > UINT64_MAX / units[i].mul)
				return false;
			*ns = v * units[i].mul;
			return true;
		}
	return false;
}

static bool parse_bdf(const char *w, uint64_t *bdf)
{
	unsigned int bus, dev, fn;
	char tail;

	if (!w || sscanf(w, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3 ||
	    bus > 0xff || dev > 0x1f || fn > 7)
		return false;
	*bdf = (bus << 8) | (dev << 3) | fn;
	return true;
}

static struct guest_stmt *add_stmt(struct parse *p, enum guest_op op)
{
	struct guest_prog *prog = p->prog;
	struct guest_stmt *st;

	if (prog->n == p->cap) {
		unsigned int cap = p->cap ? p->cap * 2 : 32;
		struct guest_stmt *n = realloc(prog->st, cap * sizeof(*n));

		if (!n)
			return NULL;
		prog->st = n;
		p->cap = cap;
	}
	st = &prog->st[prog->n++];
	memset(st, 0, sizeof(*st));
	st->op = op;
	st->line = p->line;
	return st;
}

static const struct {
	const char *name;
	uint32_t value;
} state_names[] = {
	{ "running", HV_CELL_RUNNING },
	{ "running_locked", HV_CELL_RUNNING_LOCKED },
	{ "shut_down", HV_CELL_SHUT_DOWN },
	{ "failed", HV_CELL_FAILED },
	{ "failed_comm_rev", HV_CELL_FAILED_COMM_REV },
};

static int parse_statement(struct parse *p, char *line, unsigned int *stack,
			   unsigned int *depth)
{
	char *cur = line, *kw = next_word(&cur), *w;
	struct guest_stmt *st;
	size_t i;

	if (!strcmp(kw, "print")) {
		st = add_stmt(p, OP_PRINT);
		if (st)
			st->text = rest_of_line(cur);
	} else if (!strcmp(kw, "sleep")) {
		st = add_stmt(p, OP_SLEEP);
		if (st && !parse_duration(next_word(&cur), &st->a))
			return perr(p, "sleep needs a duration like 500ms, 2s or 100us");
	} else if (!strcmp(kw, "repeat") || !strcmp(kw, "forever")) {
		bool rep = kw[0] == 'r';

		st = add_stmt(p, rep ? OP_REPEAT : OP_FOREVER);
		if (st && rep && !parse_u64(next_word(&cur), &st->a))
			return perr(p, "repeat needs a count");
		if (*depth == GUEST_LOOP_DEPTH)
			return perr(p, "loops nest deeper than %d",
				    GUEST_LOOP_DEPTH);
		if (st)
			stack[(*depth)++] = p->prog->n - 1;
	} else if (!strcmp(kw, "end")) {
		if (!*depth)
			return perr(p, "end without repeat or forever");
		st = add_stmt(p, OP_END);
		if (st) {
			st->jump = stack[--(*depth)];
			p->prog->st[st->jump].jump = p->prog->n - 1;
		}
	} else if (!strcmp(kw, "read") || !strcmp(kw, "write")) {
		bool wr = kw[0] == 'w';

		st = add_stmt(p, wr ? OP_WRITE : OP_READ);
		if (st && !parse_u64(next_word(&cur), &st->a))
			return perr(p, "%s needs an address", kw);
		if (st && wr) {
			w = next_word(&cur);
			if (w && !parse_u64(w, &st->b))
				return perr(p, "write: bad value \"%s\"", w);
		}
	} else if (!strcmp(kw, "hypercall")) {
		st = add_stmt(p, OP_HYPERCALL);
		if (st && !parse_u64(next_word(&cur), &st->a))
			return perr(p, "hypercall needs a code");
		if (st && (w = next_word(&cur)) && !parse_u64(w, &st->b))
			return perr(p, "hypercall: bad argument \"%s\"", w);
		if (st && (w = next_word(&cur)) && !parse_u64(w, &st->c))
			return perr(p, "hypercall: bad argument \"%s\"", w);
	} else if (!strcmp(kw, "cpu_on")) {
		st = add_stmt(p, OP_CPU_ON);
		if (st && !parse_u64(next_word(&cur), &st->a))
			return perr(p, "cpu_on needs a CPU number and a label");
		w = next_word(&cur);
		if (st && (!w || strlen(w) >= sizeof(((struct guest_label *)0)->name)))
			return perr(p, "cpu_on needs a label");
		if (st)
			st->text = w;
	} else if (!strcmp(kw, "cpu_off")) {
		st = add_stmt(p, OP_CPU_OFF);
	} else if (!strcmp(kw, "psci_version")) {
		st = add_stmt(p, OP_PSCI_VERSION);
	} else if (!strcmp(kw, "smc")) {
		st = add_stmt(p, OP_SMC);
	} else if (!strcmp(kw, "sgi")) {
		st = add_stmt(p, OP_SGI);
		if (st && !parse_u64(next_word(&cur), &st->a))
			return perr(p, "sgi needs a CPU number");
	} else if (!strcmp(kw, "ivshmem")) {
		uint64_t bdf;
		char *sub;

		if (!parse_bdf(next_word(&cur), &bdf))
			return perr(p, "ivshmem needs a device address like 00:01.0");
		sub = next_word(&cur);
		if (!sub)
			return perr(p, "ivshmem: enable, state, ring or send expected");
		if (!strcmp(sub, "enable")) {
			st = add_stmt(p, OP_IVSHMEM_ENABLE);
		} else if (!strcmp(sub, "state")) {
			st = add_stmt(p, OP_IVSHMEM_STATE);
			if (st && !parse_u64(next_word(&cur), &st->b))
				return perr(p, "ivshmem state needs a value");
		} else if (!strcmp(sub, "ring")) {
			st = add_stmt(p, OP_IVSHMEM_RING);
			if (st && !parse_u64(next_word(&cur), &st->b))
				return perr(p, "ivshmem ring needs a peer number");
			if (st && (w = next_word(&cur)) &&
			    !parse_u64(w, &st->c))
				return perr(p, "ivshmem ring: bad vector \"%s\"", w);
		} else if (!strcmp(sub, "send")) {
			st = add_stmt(p, OP_IVSHMEM_SEND);
			if (st && !parse_u64(next_word(&cur), &st->b))
				return perr(p, "ivshmem send needs a peer number");
			if (st)
				st->text = rest_of_line(cur);
		} else {
			return perr(p, "ivshmem: unknown operation \"%s\"", sub);
		}
		if (st)
			st->a = bdf;
	} else if (!strcmp(kw, "wait_irq")) {
		st = add_stmt(p, OP_WAIT_IRQ);
		w = next_word(&cur);
		if (st && w && !parse_duration(w, &st->a))
			return perr(p, "wait_irq: bad timeout \"%s\"", w);
	} else if (!strcmp(kw, "state")) {
		st = add_stmt(p, OP_STATE);
		w = next_word(&cur);
		if (!w)
			return perr(p, "state needs a value");
		for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
			if (!strcmp(w, state_names[i].name))
				break;
		if (st && i < sizeof(state_names) / sizeof(state_names[0]))
			st->a = state_names[i].value;
		else if (st && !parse_u64(w, &st->a))
			return perr(p, "state: unknown value \"%s\"", w);
	} else if (!strcmp(kw, "on_shutdown")) {
		st = add_stmt(p, OP_ON_SHUTDOWN);
		w = next_word(&cur);
		if (st && w && !strcmp(w, "approve"))
			st->a = POLICY_APPROVE;
		else if (st && w && !strcmp(w, "deny"))
			st->a = POLICY_DENY;
		else if (st && w && !strcmp(w, "ignore"))
			st->a = POLICY_IGNORE;
		else if (st)
			return perr(p, "on_shutdown: approve, deny or ignore expected");
		w = next_word(&cur);
		if (st && w && !parse_duration(w, &st->b))
			return perr(p, "on_shutdown: bad delay \"%s\"", w);
	} else if (!strcmp(kw, "fault")) {
		st = add_stmt(p, OP_FAULT);
	} else if (!strcmp(kw, "halt")) {
		st = add_stmt(p, OP_HALT);
	} else {
		return perr(p, "unknown statement \"%s\"", kw);
	}
	if (!st)
		return perr(p, "out of memory");
	if (st->op != OP_PRINT && st->op != OP_IVSHMEM_SEND &&
	    (w = next_word(&cur)))
		return perr(p, "unexpected \"%s\"", w);
	return 0;
}

int guest_parse(const char *text, unsigned int len, struct guest_prog **out,
		unsigned int *err_line, char *err, unsigned int errlen)
{
	struct parse p = { .err = err, .errlen = errlen };
	unsigned int stack[GUEST_LOOP_DEPTH], depth = 0, n, cap_labels = 0;
	struct guest_prog *prog;
	char *line, *next;
	int ret = 0;

	*out = NULL;
	*err_line = 0;
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	prog->text = malloc(len + 1);
	if (!prog->text) {
		free(prog);
		return -ENOMEM;
	}
	memcpy(prog->text, text, len);
	prog->text[len] = 0;
	p.prog = prog;

	for (line = prog->text; line && !ret; line = next) {
		char *end;

		p.line++;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = 0;
		while (*line == ' ' || *line == '\t')
			line++;
		if (p.line == 1) {
			if (strcmp(line, GUEST_MAGIC))
				ret = perr(&p, "the first line must be \"%s\"",
					   GUEST_MAGIC);
			continue;
		}
		if (!*line || *line == '#')
			continue;
		if (end[-1] == ':' && !strchr(line, ' ')) {
			end[-1] = 0;
			if (depth) {
				ret = perr(&p, "label \"%s\" inside a loop", line);
				break;
			}
			if (strlen(line) >= sizeof(prog->labels[0].name) ||
			    !*line) {
				ret = perr(&p, "bad label");
				break;
			}
			if (guest_prog_label(prog, line) >= 0) {
				ret = perr(&p, "label \"%s\" defined twice", line);
				break;
			}
			if (prog->num_labels == cap_labels) {
				struct guest_label *nl;

				cap_labels = cap_labels ? cap_labels * 2 : 8;
				nl = realloc(prog->labels,
					     cap_labels * sizeof(*nl));
				if (!nl) {
					ret = perr(&p, "out of memory");
					break;
				}
				prog->labels = nl;
			}
			strcpy(prog->labels[prog->num_labels].name, line);
			prog->labels[prog->num_labels++].idx = prog->n;
			continue;
		}
		ret = parse_statement(&p, line, stack, &depth);
	}
	if (!ret && depth) {
		p.line = prog->st[stack[depth - 1]].line;
		ret = perr(&p, "loop without end");
	}
	for (n = 0; !ret && n < prog->n; n++)
		if (prog->st[n].op == OP_CPU_ON &&
		    guest_prog_label(prog, prog->st[n].text) < 0) {
			p.line = prog->st[n].line;
			ret = perr(&p, "no label \"%s\"", prog->st[n].text);
		}
	if (ret) {
		*err_line = p.line;
		guest_prog_free(prog);
		return ret;
	}
	*out = prog;
	return 0;
}

void guest_prog_free(struct guest_prog *prog)
{
	if (!prog)
		return;
	free(prog->st);
	free(prog->labels);
	free(prog->text);
	free(prog);
}

int guest_prog_label(const struct guest_prog *prog, const char *name)
{
	unsigned int n;

	for (n = 0; n < prog->num_labels; n++)
		if (!strcmp(prog->labels[n].name, name))
			return (int)prog->labels[n].idx;
	return -1;
}

/* ---- memory access -------------------------------------------------- */

static bool translate(struct sim_cpu *sc, uint64_t addr,
		      struct paging_result *res)
{
	uint64_t page = addr & PAGE_MASK;

	if (sc->tlb_valid && sc->tlb_gen == sc->sb->guest.tlb_gen &&
	    sc->tlb_virt == page) {
		res->phys = sc->tlb_phys | (addr & PAGE_OFFS_MASK);
		res->flags = sc->tlb_flags;
		return true;
	}
	if (!paging_translate(&sc->pc->cell->stage2, addr, res))
		return false;
	sc->tlb_valid = true;
	sc->tlb_gen = sc->sb->guest.tlb_gen;
	sc->tlb_virt = page;
	sc->tlb_phys = res->phys & PAGE_MASK;
	sc->tlb_flags = res->flags;
	return true;
}

/*
 * One guest load or store of size 1-8 within a page. Mapped memory is
 * accessed directly; anything else is a stage-2 abort handled by the core
 * (an MMIO exit), which fails the CPU when nothing emulates the address.
 */
static bool guest_access(struct sim_cpu *sc, uint64_t addr, void *buf,
			 unsigned int size, bool write)
{
	struct per_cpu *pc = sc->pc;
	struct paging_result res;
	uint64_t val = 0;

	if (translate(sc, addr, &res) &&
	    (res.flags & (write ? HV_MEM_WRITE : HV_MEM_READ))) {
		int err = write ? simmem_write(&sc->sb->mem, res.phys, buf, size)
				: simmem_read(&sc->sb->mem, buf, res.phys, size);

		if (!err)
			return true;
		cpu_fail_at(pc, HV_CPU_FAULT_EXTERNAL_ABORT, addr,
			    "External abort on %s at 0x%" PRIx64 " (phys 0x%" PRIx64 ") by CPU %u, cell \"%s\": no memory there",
			 write ? "write" : "read", addr, res.phys, pc->cpu_id,
			 pc->cell->config->name);
		return false;
	}
	if (write)
		memcpy(&val, buf, size);
	if (mmio_handle_access(pc, addr, size, write, &val) == MMIO_HANDLED) {
		if (!write)
			memcpy(buf, &val, size);
		return true;
	}
	cpu_fail_at(pc, HV_CPU_FAULT_DATA_ABORT, addr,
		    "Unhandled data %s at 0x%" PRIx64 " (%u bytes) by CPU %u, cell \"%s\"",
		 write ? "write" : "read", addr, size, pc->cpu_id,
		 pc->cell->config->name);
	return false;
}

bool guest_read_string(struct sim_board *sb, struct cell *cell, uint64_t addr,
		       char *buf, unsigned int size)
{
	unsigned int len = 0;

	while (len + 1 < size) {
		struct paging_result res;
		uint64_t chunk = PAGE_SIZE - (addr & PAGE_OFFS_MASK);
		char *nul;

		if (!paging_translate(&cell->stage2, addr, &res) ||
		    !(res.flags & HV_MEM_READ))
			break;
		if (chunk > size - 1 - len)
			chunk = size - 1 - len;
		if (simmem_read(&sb->mem, buf + len, res.phys, chunk))
			break;
		nul = memchr(buf + len, 0, chunk);
		if (nul) {
			len = (unsigned int)(nul - buf);
			buf[len] = 0;
			return true;
		}
		len += chunk;
		addr += chunk;
	}
	buf[len] = 0;
	return len > 0;
}

/* ---- execution ------------------------------------------------------ */

static void cpu_timer_fn(struct loop_timer *t);

static void schedule(struct sim_cpu *sc, uint64_t when)
{
	sc->timer.fn = cpu_timer_fn;
	loop_timer_arm(&sc->sb->loop, &sc->timer, when);
}

static bool cpu_stopped(struct sim_cpu *sc)
{
	return sc->pc->parked || sc->g.state == G_OFF;
}

static void expand(struct sim_cpu *sc, const char *in, char *out, size_t size)
{
	struct guest_cpu *g = &sc->g;
	size_t o = 0;
	char tmp[GUEST_MSG_MAX + 32];

	while (*in && o + 1 < size) {
		const char *add = NULL;

		if (*in == '\\' && in[1]) {
			in++;
			tmp[0] = *in == 'n' ? '\n' : *in == 't' ? '\t' : *in;
			tmp[1] = 0;
			add = tmp;
			in++;
		} else if (*in == '$') {
			static const char *const vars[] = { "cpu", "n", "ret",
				"msg", "uptime" };
			size_t i, l = 0;

			for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
				l = strlen(vars[i]);
				if (!strncmp(in + 1, vars[i], l))
					break;
			}
			switch (i) {
			case 0:
				snprintf(tmp, sizeof(tmp), "%u", sc->id);
				break;
			case 1:
				snprintf(tmp, sizeof(tmp), "%" PRIu64,
					 g->depth ? g->loops[g->depth - 1].count : 0);
				break;
			case 2:
				snprintf(tmp, sizeof(tmp), "%" PRId64, g->ret);
				break;
			case 3:
				snprintf(tmp, sizeof(tmp), "%s", g->msg);
				break;
			case 4:
				snprintf(tmp, sizeof(tmp), "%" PRIu64,
					 (uint64_t)((loop_now() - g->started) /
						    NSEC_PER_SEC));
				break;
			default:
				tmp[0] = '$';
				tmp[1] = 0;
				l = 0;
				break;
			}
			add = tmp;
			in += 1 + l;
		} else {
			tmp[0] = *in++;
			tmp[1] = 0;
			add = tmp;
		}
		while (*add && o + 1 < size)
			out[o++] = *add++;
	}
	out[o] = 0;
}

static void do_print(struct sim_cpu *sc, const char *text)
{
	char buf[512];
	size_t i;

	expand(sc, text, buf, sizeof(buf) - 1);
	strcat(buf, "\n");
	for (i = 0; buf[i]; i++)
		hv_hypercall(sc->pc, HV_HC_DEBUG_CONSOLE_PUTC,
			     (unsigned char)buf[i], 0);
}

/* Output section of `peer` on the link, as this cell maps it. */
static const struct hv_memory *peer_section(const struct cell *cell,
					    const struct hv_pci_device *dev,
					    unsigned int peer)
{
	const struct hv_memory *mem = cfg_mem(cell->config);
	unsigned int idx = dev->shmem_regions_start + IVSHMEM_SEC_OUTPUT + peer;

	/* A peer id at or above shmem_peers has no output section. */
	if (peer >= dev->shmem_peers ||
	    idx >= cell->config->num_memory_regions || !mem[idx].size)
		return NULL;
	return &mem[idx];
}

static bool ivshmem_op(struct sim_cpu *sc, const struct guest_stmt *st)
{
	struct per_cpu *pc = sc->pc;
	struct ivshmem_endpoint *ep;
	uint32_t reg, value;

	ep = ivshmem_find_endpoint(pc->cell, (uint16_t)st->a);
	if (!ep) {
		/* No such device: its BAR is nowhere, the write aborts. */
		cpu_stat_exit(pc, HV_STAT_MMIO);
		cpu_fail(pc, "Unhandled data write to ivshmem %02x:%02x.%x (not a device of the cell) by CPU %u, cell \"%s\"",
			 (unsigned int)(st->a >> 8),
			 (unsigned int)((st->a >> 3) & 0x1f),
			 (unsigned int)(st->a & 7), pc->cpu_id,
			 pc->cell->config->name);
		return false;
	}
	if (st->op == OP_IVSHMEM_SEND) {
		const struct hv_memory *out =
			peer_section(pc->cell, ep->dev, ep->dev->shmem_dev_id);
		char buf[GUEST_MSG_MAX];
		size_t len, off = 0;

		expand(sc, st->text, buf, sizeof(buf));
		len = strlen(buf) + 1;
		if (!out || out->size < len) {
			cpu_stat_exit(pc, HV_STAT_MMIO);
			cpu_fail(pc, "Unhandled data write: cell \"%s\" has no output section on ivshmem %02x:%02x.%x (CPU %u)",
				 pc->cell->config->name,
				 (unsigned int)(st->a >> 8),
				 (unsigned int)((st->a >> 3) & 0x1f),
				 (unsigned int)(st->a & 7), pc->cpu_id);
			return false;
		}
		while (off < len) {
			uint64_t addr = out->virt_start + off;
			size_t chunk = PAGE_SIZE - (addr & PAGE_OFFS_MASK);

			if (chunk > 8)
				chunk = 8;
			if (chunk > len - off)
				chunk = len - off;
			if (!guest_access(sc, addr, buf + off,
					  (unsigned int)chunk, true))
				return false;
			off += chunk;
		}
	}
	cpu_stat_exit(pc, HV_STAT_MMIO);
	switch (st->op) {
	case OP_IVSHMEM_ENABLE:
		reg = IVSHMEM_REG_INT_CTRL;
		value = 1;
		break;
	case OP_IVSHMEM_STATE:
		reg = IVSHMEM_REG_STATE;
		value = (uint32_t)st->b;
		break;
	default:
		reg = IVSHMEM_REG_DOORBELL;
		value = (uint32_t)((st->b << 16) | (st->c & 0xffff));
		break;
	}
	sc->sb->guest.ringing_ep = reg == IVSHMEM_REG_DOORBELL ? ep : NULL;
	ivshmem_register_access(pc, ep, reg, true, &value);
	sc->sb->guest.ringing_ep = NULL;
	return true;
}

/*
 * An interrupt reaches the CPU (an exit to the hypervisor, which injects
 * it): it ends a wait_irq at once, otherwise it stays pending.
 */
static void take_irq(struct sim_cpu *sc, const char *msg)
{
	cpu_stat_exit(sc->pc, HV_STAT_VIRQ);
	if (msg)
		snprintf(sc->g.msg, sizeof(sc->g.msg), "%s", msg);
	if (sc->g.state == G_WAIT_IRQ) {
		loop_timer_cancel(&sc->sb->loop, &sc->timer);
		sc->g.state = G_RUN;
		sc->g.ret = 0;
		schedule(sc, loop_now());
	} else {
		sc->g.irq_pending = true;
	}
}

/* Runs one statement; returns false when the CPU stops running. */
static bool step(struct sim_cpu *sc, const struct guest_prog *prog)
{
	struct guest_cpu *g = &sc->g;
	struct per_cpu *pc = sc->pc;
	const struct guest_stmt *st;
	struct guest_loop *lp;
	uint64_t v;
	int target;

	if (g->pc >= prog->n) {
		g->state = G_IDLE;
		return false;
	}
	st = &prog->st[g->pc++];
	switch (st->op) {
	case OP_PRINT:
		do_print(sc, st->text);
		break;
	case OP_SLEEP:
		g->state = G_SLEEP;
		schedule(sc, loop_now() + st->a);
		return false;
	case OP_REPEAT:
	case OP_FOREVER:
		if (st->op == OP_REPEAT && !st->a) {
			g->pc = st->jump + 1;
			break;
		}
		lp = &g->loops[g->depth++];
		lp->start = g->pc - 1;
		lp->left = st->op == OP_FOREVER ? UINT64_MAX : st->a;
		lp->count = 1;
		break;
	case OP_END:
		if (!g->depth || g->loops[g->depth - 1].start != st->jump) {
			/* Reached an end without its loop (jumped in by a label). */
			break;
		}
		lp = &g->loops[g->depth - 1];
		if (lp->left != UINT64_MAX)
			lp->left--;
		if (lp->left) {
			lp->count++;
			g->pc = lp->start + 1;
		} else {
			g->depth--;
		}
		break;
	case OP_READ:
		v = 0;
		if (!guest_access(sc, st->a, &v, 4, false))
			return false;
		g->ret = (int64_t)v;
		break;
	case OP_WRITE:
		v = st->b;
		if (!guest_access(sc, st->a, &v, 4, true))
			return false;
		break;
	case OP_HYPERCALL:
		g->ret = hv_hypercall(pc, st->a, st->b, st->c);
		break;
	case OP_CPU_ON:
		target = guest_prog_label(prog, st->text);
		g->ret = cpu_psci_cpu_on(pc, (unsigned int)st->a,
					 (uint64_t)target + 1, 0);
		break;
	case OP_CPU_OFF:
		cpu_psci_cpu_off(pc);
		return false;
	case OP_PSCI_VERSION:
		cpu_stat_exit(pc, HV_STAT_PSCI);
		g->ret = 0x10001;	/* PSCI 1.1 */
		break;
	case OP_SMC:
		cpu_stat_exit(pc, HV_STAT_SMCCC);
		g->ret = -1;		/* SMCCC NOT_SUPPORTED */
		break;
	case OP_SGI:
		cpu_stat_exit(pc, HV_STAT_VSGI);
		if (st->a < sc->sb->board.cpus &&
		    cell_owns_cpu(pc->cell, (unsigned int)st->a)) {
			struct sim_cpu *t = &sc->sb->guest.cpus[st->a];

			if (!cpu_stopped(t))
				take_irq(t, NULL);
		}
		break;
	case OP_IVSHMEM_ENABLE:
	case OP_IVSHMEM_STATE:
	case OP_IVSHMEM_RING:
	case OP_IVSHMEM_SEND:
		if (!ivshmem_op(sc, st))
			return false;
		break;
	case OP_WAIT_IRQ:
		if (g->irq_pending) {
			g->irq_pending = false;
			g->ret = 0;
			break;
		}
		g->state = G_WAIT_IRQ;
		g->ret = -1;	/* stays -1 when the timeout ends the wait */
		if (st->a)
			schedule(sc, loop_now() + st->a);
		return false;
	case OP_STATE:
		cell_set_state(pc->cell, (uint32_t)st->a);
		break;
	case OP_ON_SHUTDOWN: {
		struct sim_cell *scell = pc->cell->arch;

		scell->policy = (enum guest_reply_policy)st->a;
		scell->reply_delay = st->b;
		break;
	}
	case OP_FAULT:
		/* An HVC with a foreign immediate: a trap nobody handles. */
		cpu_fail_at(pc, HV_CPU_FAULT_UNHANDLED_TRAP, 0,
			    "Unhandled trap (exception class 0x16, hvc #0) by CPU %u, cell \"%s\"",
			 pc->cpu_id, pc->cell->config->name);
		return false;
	case OP_HALT:
		g->state = G_IDLE;
		return false;
	case OP_NOP:
		break;
	}
	return !cpu_stopped(sc);
}

static void guest_run(struct sim_cpu *sc)
{
	struct cell *cell = sc->pc->cell;
	struct sim_cell *scell = cell->arch;
	unsigned int n;

	for (n = 0; n < GUEST_QUANTUM && sc->g.state == G_RUN; n++)
		if (!scell->prog || !step(sc, scell->prog))
			break;
	if (!scell->prog && sc->g.state == G_RUN)
		sc->g.state = G_IDLE;
	if (sc->g.state == G_RUN && !cpu_stopped(sc))
		schedule(sc, loop_now() + GUEST_YIELD_NS);
	sc->sb->hooks->cell_status(sc->sb, cell);
}

static void cpu_timer_fn(struct loop_timer *t)
{
	struct sim_cpu *sc = (struct sim_cpu *)((char *)t -
						offsetof(struct sim_cpu, timer));

	if (!sc->pc || cpu_stopped(sc))
		return;
	switch (sc->g.state) {
	case G_SLEEP:
		/* The guest's timer interrupt woke it. */
		cpu_stat_exit(sc->pc, HV_STAT_VIRQ);
		sc->g.state = G_RUN;
		break;
	case G_WAIT_IRQ:
		sc->g.state = G_RUN;	/* timed out */
		snprintf(sc->g.msg, sizeof(sc->g.msg), "(nothing)");
		break;
	case G_RUN:
		break;
	default:
		return;
	}
	guest_run(sc);
}

void guest_cpu_stop(struct sim_cpu *sc)
{
	loop_timer_cancel(&sc->sb->loop, &sc->timer);
	sc->g.state = G_OFF;
	sc->root_running = false;
}

static void load_program(struct sim_cpu *sc, struct cell *cell)
{
	struct sim_cell *scell = cell->arch;
	unsigned int err_line;
	char *text, err[160];
	int ret;

	guest_prog_free(scell->prog);
	scell->prog = NULL;
	scell->policy = POLICY_APPROVE;
	scell->reply_delay = 0;
	text = malloc(GUEST_MAX_SIZE + 1);
	if (!text)
		return;
	if (!guest_read_string(sc->sb, cell, cell->config->cpu_reset_address,
			       text, GUEST_MAX_SIZE + 1) ||
	    strncmp(text, GUEST_MAGIC, strlen(GUEST_MAGIC))) {
		/* Not a script: the CPU spins in an empty loop. */
		free(text);
		return;
	}
	ret = guest_parse(text, (unsigned int)strlen(text), &scell->prog,
			  &err_line, err, sizeof(err));
	free(text);
	if (ret)
		cpu_fail_at(sc->pc, HV_CPU_FAULT_UNDEFINED, 0,
			    "Undefined instruction by CPU %u, cell \"%s\": guest script line %u: %s",
			 sc->id, cell->config->name, err_line, err);
}

void guest_cpu_reset(struct sim_cpu *sc)
{
	struct per_cpu *pc = sc->pc;
	struct cell *cell = pc->cell;
	struct sim_cell *scell = cell->arch;

	loop_timer_cancel(&sc->sb->loop, &sc->timer);
	memset(&sc->g, 0, sizeof(sc->g));
	sc->tlb_valid = false;
	sc->g.started = loop_now();
	if (cell == &root_cell) {
		sc->root_running = !pc->parked;
		sc->g.state = G_OFF;
		return;
	}
	sc->root_running = false;
	if (pc->parked || pc->wait_for_poweron) {
		sc->g.state = G_OFF;
		return;
	}
	if (!pc->cpu_on_entry) {
		load_program(sc, cell);
		if (pc->failed)
			return;
		sc->g.state = scell->prog ? G_RUN : G_IDLE;
	} else if (scell->prog && pc->cpu_on_entry - 1 < scell->prog->n) {
		sc->g.pc = (unsigned int)(pc->cpu_on_entry - 1);
		sc->g.state = G_RUN;
	} else {
		sc->g.state = G_IDLE;
	}
	if (sc->g.state == G_RUN)
		schedule(sc, loop_now());
}

void guest_cell_irq(struct cell *cell, const char *msg)
{
	struct sim_cell *scell = cell->arch;
	struct sim_board *sb = scell->sb;
	unsigned int cpu;

	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		struct sim_cpu *sc = &sb->guest.cpus[cpu];

		if (!cell_owns_cpu(cell, cpu))
			continue;
		if (sc->root_running) {
			/* The root OS takes it; no script to wake. */
			cpu_stat_exit(sc->pc, HV_STAT_VIRQ);
			return;
		}
		if (cpu_stopped(sc))
			continue;
		take_irq(sc, msg);
		return;
	}
}

/* arch hook: the interrupt of a doorbell or a peer's state change. */
void arch_ivshmem_trigger_interrupt(struct ivshmem_endpoint *ep,
				    unsigned int vector)
{
	struct sim_cell *scell = ep->cell->arch;
	struct ivshmem_endpoint *ringing = scell->sb->guest.ringing_ep;
	char msg[GUEST_MSG_MAX] = "";

	(void)vector;
	if (ringing) {
		const struct hv_memory *sec =
			peer_section(ep->cell, ep->dev,
				     ringing->dev->shmem_dev_id);

		if (sec)
			guest_read_string(scell->sb, ep->cell, sec->virt_start,
					  msg, sizeof(msg));
	}
	guest_cell_irq(ep->cell, msg);
}

static void reply_timer_fn(struct loop_timer *t)
{
	struct sim_cell *scell = (struct sim_cell *)((char *)t -
		offsetof(struct sim_cell, reply_timer));
	volatile struct hv_comm_region_arm64 *comm =
		&scell->cell->comm_page->comm_region;

	/* The cell clears the message before it answers. */
	comm->msg_to_cell = HV_MSG_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	comm->reply_from_cell = scell->reply_value;
}

void guest_comm_check(struct cell *cell)
{
	struct sim_cell *scell = cell->arch;
	volatile struct hv_comm_region_arm64 *comm;
	bool alive = false;
	unsigned int cpu;
	uint32_t msg;

	if (!scell || !scell->prog || !cell->comm_page ||
	    loop_timer_armed(&scell->reply_timer))
		return;
	for (cpu = 0; cpu < scell->sb->board.cpus; cpu++)
		if (cell_owns_cpu(cell, cpu) &&
		    !cpu_stopped(&scell->sb->guest.cpus[cpu]))
			alive = true;
	if (!alive)
		return;
	comm = &cell->comm_page->comm_region;
	msg = comm->msg_to_cell;
	if (msg == HV_MSG_NONE || comm->reply_from_cell != HV_MSG_REPLY_NONE ||
	    scell->policy == POLICY_IGNORE)
		return;
	switch (msg) {
	case HV_MSG_SHUTDOWN_REQUEST:
		scell->reply_value = scell->policy == POLICY_DENY ?
				     HV_MSG_REQUEST_DENIED :
				     HV_MSG_REQUEST_APPROVED;
		loop_timer_arm(&scell->sb->loop, &scell->reply_timer,
			       loop_now() + scell->reply_delay);
		return;
	case HV_MSG_RECONFIG_COMPLETED:
		scell->reply_value = HV_MSG_RECEIVED;
		break;
	default:
		scell->reply_value = HV_MSG_UNKNOWN;
		break;
	}
	loop_timer_arm(&scell->sb->loop, &scell->reply_timer, loop_now());
}

void guest_cell_init(struct sim_board *sb, struct sim_cell *scell,
		     struct cell *cell)
{
	memset(scell, 0, sizeof(*scell));
	scell->sb = sb;
	scell->cell = cell;
	scell->reply_timer.fn = reply_timer_fn;
	scell->shown_state = UINT32_MAX;
}

void guest_cell_exit(struct sim_cell *scell)
{
	loop_timer_cancel(&scell->sb->loop, &scell->reply_timer);
	guest_prog_free(scell->prog);
	scell->prog = NULL;
}

/*
 * Background exits of the root OS per CPU and second at 100% activity:
 * timer and device interrupts, IPIs, some MMIO (GIC), rare hypercalls.
 */
static const struct {
	unsigned int stat;
	unsigned int per_sec;
} root_rates[] = {
	{ HV_STAT_VIRQ, 120 },
	{ HV_STAT_VSGI, 15 },
	{ HV_STAT_MMIO, 6 },
	{ HV_STAT_MAINTENANCE, 3 },
	{ HV_STAT_HYPERCALL, 1 },
};

void guest_root_tick(struct sim_board *sb, uint64_t ns)
{
	const struct board *board = &sb->board;
	unsigned int cpu, r;

	if (!board->root_activity)
		return;
	for (cpu = 0; cpu < board->cpus; cpu++) {
		struct sim_cpu *sc = &sb->guest.cpus[cpu];

		if (!sc->root_running || !sc->pc)
			continue;
		for (r = 0; r < sizeof(root_rates) / sizeof(root_rates[0]); r++) {
			/* Expected count in millis, jittered by +-50 %. */
			uint64_t milli = (uint64_t)root_rates[r].per_sec *
					 board->root_activity * ns /
					 (100 * NSEC_PER_MSEC);
			uint64_t jit = milli / 2 + rng(&sb->guest) % (milli + 1);
			uint32_t n = (uint32_t)(jit / 1000) +
				     (rng(&sb->guest) % 1000 < jit % 1000 ?
				      1 : 0);

			sc->pc->stats[root_rates[r].stat] += n;
			sc->pc->stats[HV_STAT_TOTAL] += n;
		}
	}
}
