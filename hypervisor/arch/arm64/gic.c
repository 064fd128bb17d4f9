// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 partitioning (see gic.h).
 *
 * Every CPU runs its cell with HCR_EL2.IMO/FMO: physical interrupts come
 * to EL2, are acknowledged here with a priority drop only (EOImode 1), and
 * are injected into the CPU's cell as pending virtual interrupts of the
 * same number. SPIs and PPIs are hardware-linked, so the guest's
 * deactivation of the virtual interrupt deactivates the physical one. When
 * the list registers are full, the interrupt waits in a per-CPU queue and
 * the maintenance interrupt (underflow) refills them. Another CPU gets an
 * interrupt through its queue and the hypervisor's SGI_INJECT.
 *
 * Neither the distributor nor the redistributors are mapped into any cell:
 * each access traps and touches only what the cell owns (its SPIs; the
 * SGIs and PPIs of its own CPUs but the hypervisor's). Ownership of SPIs
 * follows the cell configs; when it changes, the SPI is masked, its
 * pending and active state cleared, and it is routed to the new owner.
 */
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/printk.h>

#include "include/arm64.h"
#include "include/decode.h"
#include "include/gic.h"
#include "include/gic_regs.h"

#define ICC_CTLR_EOIMODE	(1ULL << 1)
#define ICH_HCR_EN		(1ULL << 0)
#define ICH_HCR_UIE		(1ULL << 1)
#define ICH_VMCR_VENG1		(1ULL << 1)
#define ICH_VMCR_VEOIM		(1ULL << 9)
#define ICH_VMCR_VPMR_SHIFT	24
#define HYP_PMR			0xf0
#define GICR_MAX_FRAMES		256

/* Owner of each SPI (NULL: nobody's). Changed under the big lock. */
static struct cell *spi_owner[GIC_NUM_INTIDS];
/* CPU id of each redistributor frame, -1 if none. */
static int frame_cpu[GICR_MAX_FRAMES];
static unsigned int num_spis_end;	/* first INTID the GICD lacks */
static unsigned int maint_irq;
static uint64_t gicd_base, gicr_base;

/* ---- system registers ---- */

#define icc_iar1()		read_sysreg(s3_0_c12_c12_0)
#define icc_eoir1(v)		write_sysreg(v, s3_0_c12_c12_1)
#define icc_dir(v)		write_sysreg(v, s3_0_c12_c11_1)
#define icc_sgi1r(v)		write_sysreg(v, s3_0_c12_c11_5)
#define ICC_IAR0()		read_sysreg(s3_0_c12_c8_0)

#define LR_CASES(X)							\
	X(0, c12, 0) X(1, c12, 1) X(2, c12, 2) X(3, c12, 3)		\
	X(4, c12, 4) X(5, c12, 5) X(6, c12, 6) X(7, c12, 7)		\
	X(8, c13, 0) X(9, c13, 1) X(10, c13, 2) X(11, c13, 3)		\
	X(12, c13, 4) X(13, c13, 5) X(14, c13, 6) X(15, c13, 7)

static uint64_t lr_read(unsigned int n)
{
	uint64_t v = 0;

	switch (n) {
#define LR_READ(i, crm, op2)						\
	case i:								\
		asm volatile("mrs %0, s3_4_c12_" #crm "_" #op2 : "=r"(v)); \
		break;
	LR_CASES(LR_READ)
#undef LR_READ
	}
	return v;
}

static void lr_write(unsigned int n, uint64_t v)
{
	switch (n) {
#define LR_WRITE(i, crm, op2)						\
	case i:								\
		asm volatile("msr s3_4_c12_" #crm "_" #op2 ", %0" : : "r"(v)); \
		break;
	LR_CASES(LR_WRITE)
#undef LR_WRITE
	}
}

static void aprs_clear(unsigned int num)
{
	write_sysreg(0, s3_4_c12_c8_0);			/* ICH_AP0R0_EL2 */
	write_sysreg(0, s3_4_c12_c9_0);			/* ICH_AP1R0_EL2 */
	if (num > 1) {
		write_sysreg(0, s3_4_c12_c8_1);
		write_sysreg(0, s3_4_c12_c9_1);
	}
	if (num > 2) {
		write_sysreg(0, s3_4_c12_c8_2);
		write_sysreg(0, s3_4_c12_c9_2);
		write_sysreg(0, s3_4_c12_c8_3);
		write_sysreg(0, s3_4_c12_c9_3);
	}
}

#define ich_hcr()		read_sysreg(s3_4_c12_c11_0)
#define ich_hcr_write(v)	write_sysreg(v, s3_4_c12_c11_0)
#define ich_elrsr()		read_sysreg(s3_4_c12_c11_5)

/* ---- MMIO of the real GIC (identity-mapped at EL2) ---- */

static uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint64_t mmio_read(uint64_t addr, unsigned int size)
{
	switch (size) {
	case 1:
		return *(volatile uint8_t *)addr;
	case 8:
		return *(volatile uint64_t *)addr;
	default:
		return mmio_read32(addr);
	}
}

static void mmio_write(uint64_t addr, unsigned int size, uint64_t v)
{
	switch (size) {
	case 1:
		*(volatile uint8_t *)addr = (uint8_t)v;
		break;
	case 8:
		*(volatile uint64_t *)addr = v;
		break;
	default:
		mmio_write32(addr, (uint32_t)v);
		break;
	}
}

static uint64_t gicr_sgi(const struct arm64_cpu *ac, uint64_t reg)
{
	return ac->gic.gicr + GICR_SGI_BASE + reg;
}

static void spin_lock(uint32_t *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void spin_unlock(uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

static uint32_t hyp_private_mask(void)
{
	return GIC_HYP_PRIVATE_MASK(maint_irq);
}

/* ---- platform and per-CPU set-up ---- */

int gic_check_platform(const struct hv_system *sys)
{
	unsigned int m = sys->platform_info.arm.maintenance_irq;

	if (m < 16 || m > 31) {
		hv_set_error("platform_info.arm.maintenance_irq %u is not a PPI (16-31)",
			     m);
		return -EINVAL;
	}
	return 0;
}

static void gic_globals(void)
{
	const struct hv_platform_arm *arm = &hv_sys->platform_info.arm;

	gicd_base = arm->gicd_base;
	gicr_base = arm->gicr_base;
	maint_irq = arm->maintenance_irq;
	num_spis_end = 32 * ((mmio_read32(gicd_base + GICD_TYPER) & 0x1f) + 1);
	if (num_spis_end > GIC_MAX_SPI + 1)
		num_spis_end = GIC_MAX_SPI + 1;
}

void gic_root_init(void)
{
	unsigned int irq, n;

	gic_globals();
	for (n = 0; n < GICR_MAX_FRAMES; n++)
		frame_cpu[n] = -1;
	for (irq = 0; irq < GIC_NUM_INTIDS; irq++)
		spi_owner[irq] = irq >= GIC_FIRST_SPI && irq < num_spis_end &&
				 cell_root_owns_irq(irq) ? &root_cell : NULL;
}

static uint64_t gicr_typer_at(uint64_t addr)
{
	return mmio_read(addr, 8);
}

int gic_cpu_init(struct arm64_cpu *ac)
{
	struct gic_cpu *g = &ac->gic;
	uint64_t frame, vtr, ctlr, pmr, grpen, vmcr;
	unsigned int n;

	if (mpidr_find_gicr(gicr_base, hv_max_cpus < GICR_MAX_FRAMES ?
				       hv_max_cpus : GICR_MAX_FRAMES,
			    ac->mpidr, gicr_typer_at, &frame)) {
		hv_set_error("CPU %u: no GIC redistributor for MPIDR 0x%llx",
			     ac->core.cpu_id, (unsigned long long)ac->mpidr);
		return -ENODEV;
	}
	n = (unsigned int)((frame - gicr_base) / GICR_STRIDE);
	g->gicr = frame;
	g->gicr_index = n;
	frame_cpu[n] = (int)ac->core.cpu_id;

	vtr = read_sysreg(s3_4_c12_c11_1);		/* ICH_VTR_EL2 */
	g->num_lrs = (vtr & 0x1f) + 1;
	g->num_aprs = 1u << (((vtr >> 26) & 7) + 1 - 5);	/* PREbits */
	g->q_head = g->q_len = 0;
	g->lock = 0;

	/* Linux's view becomes the virtual interface's. */
	ctlr = read_sysreg(s3_0_c12_c12_4);		/* ICC_CTLR_EL1 */
	pmr = read_sysreg(s3_0_c4_c6_0);		/* ICC_PMR_EL1 */
	grpen = read_sysreg(s3_0_c12_c12_7);		/* ICC_IGRPEN1_EL1 */
	g->saved_ctlr = ctlr;
	vmcr = ((pmr & 0xff) << ICH_VMCR_VPMR_SHIFT) |
	       ((grpen & 1) ? ICH_VMCR_VENG1 : 0) |
	       ((ctlr & ICC_CTLR_EOIMODE) ? ICH_VMCR_VEOIM : 0);
	for (n = 0; n < g->num_lrs; n++)
		lr_write(n, 0);
	aprs_clear(g->num_aprs);
	write_sysreg(vmcr, s3_4_c12_c11_7);		/* ICH_VMCR_EL2 */

	/* The physical interface is the hypervisor's: drop only at EOI. */
	write_sysreg(ctlr | ICC_CTLR_EOIMODE, s3_0_c12_c12_4);
	write_sysreg(HYP_PMR, s3_0_c4_c6_0);
	write_sysreg(1, s3_0_c12_c12_7);
	isb();

	/*
	 * Linux enters from its IPI handler: the IPI is active, and Linux's
	 * deactivation after the handler goes to the virtual interface now.
	 * Deactivate it here, or that SGI never reaches this CPU again once
	 * Linux has EL2 back.
	 */
	mmio_write32(gicr_sgi(ac, GICD_ICACTIVER),
		     mmio_read32(gicr_sgi(ac, GICD_ISACTIVER)) & 0xffff);
	mmio_write32(gicr_sgi(ac, GICD_IGROUPR),
		     mmio_read32(gicr_sgi(ac, GICD_IGROUPR)) |
		     hyp_private_mask());
	mmio_write32(gicr_sgi(ac, GICD_ISENABLER), hyp_private_mask());
	dsb(ish);

	ich_hcr_write(ICH_HCR_EN);
	isb();
	g->ready = true;
	return 0;
}

/* Raises a virtual interrupt again as a physical one (hypervisor leaves). */
static void return_to_physical(struct arm64_cpu *ac, unsigned int virq,
			       bool hw, bool pending)
{
	if (hw) {
		if (pending) {
			uint64_t reg = GICD_ISPENDR + (virq / 32) * 4;

			if (virq < GIC_FIRST_SPI)
				mmio_write32(gicr_sgi(ac, reg),
					     1u << (virq % 32));
			else
				mmio_write32(gicd_base + reg,
					     1u << (virq % 32));
		}
		icc_dir(virq);
	} else if (pending && virq < 16) {
		icc_sgi1r(gic_sgi1r_for(virq, ac->mpidr));
	}
}

/*
 * Empties the LRs and the queue; with hand_back the IRQs go physical and
 * the CPU stops taking queued interrupts (it leaves the hypervisor).
 */
static void lrs_flush(struct arm64_cpu *ac, bool hand_back)
{
	struct gic_cpu *g = &ac->gic;
	unsigned int n;

	for (n = 0; n < g->num_lrs; n++) {
		uint64_t lr = lr_read(n);

		if (!(lr & ICH_LR_STATE))
			continue;
		lr_write(n, 0);
		if (lr & ICH_LR_HW)
			return_to_physical(ac, gic_lr_virq(lr), true,
					   hand_back && (lr & ICH_LR_PENDING));
		else if (hand_back)
			return_to_physical(ac, gic_lr_virq(lr), false,
					   lr & ICH_LR_PENDING);
	}
	aprs_clear(g->num_aprs);
	spin_lock(&g->lock);
	while (g->q_len) {
		uint32_t e = g->queue[g->q_head];

		g->q_head = (g->q_head + 1) % GIC_QUEUE_LEN;
		g->q_len--;
		if (e & GIC_QUEUE_HW)
			return_to_physical(ac, e & ~GIC_QUEUE_HW, true,
					   hand_back);
		else if (hand_back)
			return_to_physical(ac, e, false, true);
	}
	/* Senders now raise physical SGIs for this CPU instead. */
	if (hand_back)
		g->ready = false;
	spin_unlock(&g->lock);
	ich_hcr_write(ICH_HCR_EN);
	isb();
}

void gic_cpu_shutdown(struct arm64_cpu *ac)
{
	struct gic_cpu *g = &ac->gic;
	uint64_t vmcr, ctlr;

	if (!g->ready)
		return;
	lrs_flush(ac, true);	/* clears ready */
	vmcr = read_sysreg(s3_4_c12_c11_7);
	ich_hcr_write(0);
	ctlr = g->saved_ctlr & ~ICC_CTLR_EOIMODE;
	if (vmcr & ICH_VMCR_VEOIM)
		ctlr |= ICC_CTLR_EOIMODE;
	write_sysreg(ctlr, s3_0_c12_c12_4);
	write_sysreg(vmcr >> ICH_VMCR_VPMR_SHIFT, s3_0_c4_c6_0);
	write_sysreg((vmcr & ICH_VMCR_VENG1) ? 1 : 0, s3_0_c12_c12_7);
	/* Linux never enabled the hypervisor's SGIs and its maintenance PPI. */
	mmio_write32(gicr_sgi(ac, GICD_ICENABLER), hyp_private_mask());
	dsb(ish);
	isb();
}

void gic_cpu_reset(struct arm64_cpu *ac)
{
	uint32_t ppis = 0xffff0000u & ~hyp_private_mask();

	if (!ac->gic.ready)
		return;
	lrs_flush(ac, false);
	write_sysreg(0, s3_4_c12_c11_7);		/* ICH_VMCR_EL2 */
	/* The CPU's PPIs start masked, neither pending nor active. */
	mmio_write32(gicr_sgi(ac, GICD_ICENABLER), ppis);
	mmio_write32(gicr_sgi(ac, GICD_ICACTIVER), ppis);
	mmio_write32(gicr_sgi(ac, GICD_ICPENDR), ppis);
	mmio_write32(gicr_sgi(ac, GICD_ISENABLER), hyp_private_mask());
	dsb(ish);
	isb();
}

/* ---- injection ---- */

/* Places virq in a list register; false when none is free. */
static bool lr_place(struct gic_cpu *g, unsigned int virq, bool hw)
{
	uint64_t free = ich_elrsr();
	unsigned int n, slot = g->num_lrs;

	for (n = 0; n < g->num_lrs; n++) {
		uint64_t lr;

		if (free & (1ULL << n)) {
			if (slot == g->num_lrs)
				slot = n;
			continue;
		}
		lr = lr_read(n);
		if (gic_lr_virq(lr) != virq)
			continue;
		/* Already there: pending once is enough; an active SGI
		 * becomes active and pending. */
		if (!(lr & ICH_LR_PENDING) && !hw)
			lr_write(n, lr | ICH_LR_PENDING);
		return true;
	}
	if (slot == g->num_lrs)
		return false;
	lr_write(slot, gic_lr_make(virq, hw));
	return true;
}

/* Under g->lock. */
static void queue_push(struct gic_cpu *g, uint32_t entry)
{
	unsigned int n;

	for (n = 0; n < g->q_len; n++)
		if (g->queue[(g->q_head + n) % GIC_QUEUE_LEN] == entry)
			return;
	if (g->q_len == GIC_QUEUE_LEN) {
		g->dropped++;
		return;
	}
	g->queue[(g->q_head + g->q_len) % GIC_QUEUE_LEN] = entry;
	g->q_len++;
}

/* On the CPU itself: queue into LRs, underflow IRQ while some wait. */
static void queue_drain(struct gic_cpu *g)
{
	uint64_t hcr;

	spin_lock(&g->lock);
	while (g->q_len) {
		uint32_t e = g->queue[g->q_head];

		if (!lr_place(g, e & ~GIC_QUEUE_HW, e & GIC_QUEUE_HW))
			break;
		g->q_head = (g->q_head + 1) % GIC_QUEUE_LEN;
		g->q_len--;
	}
	hcr = ich_hcr();
	if (g->q_len)
		hcr |= ICH_HCR_UIE;
	else
		hcr &= ~ICH_HCR_UIE;
	ich_hcr_write(hcr);
	spin_unlock(&g->lock);
}

static void inject_local(struct gic_cpu *g, unsigned int virq, bool hw)
{
	if (!g->q_len && lr_place(g, virq, hw))
		return;
	spin_lock(&g->lock);
	queue_push(g, virq | (hw ? GIC_QUEUE_HW : 0));
	spin_unlock(&g->lock);
	queue_drain(g);
}

void gic_send_hyp_sgi(struct arm64_cpu *target, unsigned int sgi)
{
	dsb(ish);
	icc_sgi1r(gic_sgi1r_for(sgi, target->mpidr));
	isb();
}

void gic_send_virq(struct per_cpu *target, unsigned int virq)
{
	struct arm64_cpu *ac = arm64_cpu_of(target);

	if (ac == this_cpu()) {
		inject_local(&ac->gic, virq, false);
		return;
	}
	spin_lock(&ac->gic.lock);
	if (!ac->gic.ready) {
		/* Left the hypervisor (disable): Linux takes it directly. */
		spin_unlock(&ac->gic.lock);
		if (virq < 16)
			gic_send_hyp_sgi(ac, virq);
		return;
	}
	queue_push(&ac->gic, virq);
	spin_unlock(&ac->gic.lock);
	gic_send_hyp_sgi(ac, SGI_INJECT);
}

static bool cell_owns_intid(const struct cell *cell, unsigned int irq)
{
	if (irq < GIC_FIRST_SPI)
		return !(hyp_private_mask() & (1u << irq));
	return irq < GIC_NUM_INTIDS && spi_owner[irq] == cell;
}

void gic_handle_irq(void)
{
	struct arm64_cpu *ac = this_cpu();
	struct per_cpu *pc = &ac->core;
	struct gic_cpu *g = &ac->gic;

	for (;;) {
		unsigned int irq = (unsigned int)icc_iar1();

		if (irq >= 1020)
			break;
		icc_eoir1(irq);
		if (irq == SGI_EVENT) {
			icc_dir(irq);
			/* May park or reset the CPU: nothing more here. */
			hv_cpu_handle_events(pc);
			break;
		}
		if (irq == SGI_INJECT || irq == maint_irq) {
			icc_dir(irq);
			cpu_stat_exit(pc, irq == SGI_INJECT ? HV_STAT_VSGI :
							      HV_STAT_MAINTENANCE);
			queue_drain(g);
			continue;
		}
		if (irq < 16) {
			/* An IPI of Linux raised before the takeover. */
			icc_dir(irq);
			cpu_stat_exit(pc, HV_STAT_VSGI);
			inject_local(g, irq, false);
			continue;
		}
		if (!cell_owns_intid(pc->cell, irq)) {
			/* Routed here while changing owners: not this cell's. */
			icc_dir(irq);
			continue;
		}
		cpu_stat_exit(pc, HV_STAT_VIRQ);
		inject_local(g, irq, true);
	}
}

/* ---- SGIs of the guests ---- */

bool gic_handle_sysreg(struct trap_regs *regs, uint64_t esr)
{
	struct arm64_cpu *ac = this_cpu();
	struct per_cpu *pc = &ac->core;
	struct sysreg_access s;
	struct gic_sgi sgi;
	unsigned int cpu;
	uint64_t val;

	decode_sysreg(esr, &s);
	/* ICC_SGI1R_EL1 (op2 5), ICC_ASGI1R_EL1 (6), ICC_SGI0R_EL1 (7) */
	if (s.op0 != 3 || s.op1 != 0 || s.crn != 12 || s.crm != 11 ||
	    s.op2 < 5)
		return false;
	cpu_stat_exit(pc, HV_STAT_VSGI);
	if (s.read) {
		if (s.reg != 31)
			regs->x[s.reg] = 0;
		return true;
	}
	if (s.op2 == 7)
		return true;	/* group 0 is not offered to cells */
	val = s.reg == 31 ? 0 : regs->x[s.reg];
	gic_sgi_decode(val, &sgi);
	for_each_cpu_id(cpu) {
		struct per_cpu *t = per_cpu(cpu);

		if (!cell_owns_cpu(pc->cell, cpu) || t->parked)
			continue;
		if (sgi.irm ? t == pc :
		    !gic_sgi_targets(&sgi, arm64_cpu_of(t)->mpidr))
			continue;
		gic_send_virq(t, sgi.intid);
	}
	return true;
}

/* ---- ownership ---- */

static int first_cpu_of(const struct cell *cell)
{
	return cell ? cell_first_cpu(cell) : -1;
}

static void spi_move(unsigned int irq, struct cell *to)
{
	uint64_t bit = 1u << (irq % 32), word = (irq / 32) * 4;
	int cpu = first_cpu_of(to);

	mmio_write32(gicd_base + GICD_ICENABLER + word, (uint32_t)bit);
	mmio_write32(gicd_base + GICD_ICACTIVER + word, (uint32_t)bit);
	mmio_write32(gicd_base + GICD_ICPENDR + word, (uint32_t)bit);
	if (cpu >= 0)
		mmio_write(gicd_base + GICD_IROUTER + 8ULL * irq, 8,
			   gic_irouter_of(arm64_cpu_of(per_cpu(cpu))->mpidr));
	spi_owner[irq] = to;
}

void gic_sync_ownership(void)
{
	unsigned int irq;

	for (irq = GIC_FIRST_SPI; irq < num_spis_end; irq++) {
		struct cell *owner = NULL, *cell;

		if (cell_root_owns_irq(irq)) {
			owner = &root_cell;
		} else {
			for_each_non_root_cell(cell)
				if (cell_cfg_has_irq(cell->config, irq))
					owner = cell;
		}
		if (owner != spi_owner[irq])
			spi_move(irq, owner);
	}
	dsb(ish);
}

void gic_cell_quiesce(struct cell *cell)
{
	unsigned int irq;

	for (irq = GIC_FIRST_SPI; irq < num_spis_end; irq++) {
		uint32_t bit = 1u << (irq % 32), word = (irq / 32) * 4;

		if (spi_owner[irq] != cell)
			continue;
		mmio_write32(gicd_base + GICD_ICENABLER + word, bit);
		mmio_write32(gicd_base + GICD_ICACTIVER + word, bit);
	}
	dsb(ish);
}

/* ---- the emulated distributor and redistributors ---- */

/*
 * Ignored writes of cells, reported at 1, 2, 4, 8, ... The emulation runs
 * without the big lock, so the report waits in the CPU's data until the
 * trap handler prints it under the lock (gic_print_report).
 */
static uint32_t ignored_writes;

static void count_ignored(struct per_cpu *pc, const char *what,
			  uint64_t off)
{
	struct gic_cpu *g = &arm64_cpu_of(pc)->gic;
	uint32_t n = __atomic_add_fetch(&ignored_writes, 1, __ATOMIC_RELAXED);

	if (n & (n - 1))
		return;
	g->report_what = what;
	g->report_off = off;
	g->report_count = n;
}

void gic_print_report(struct per_cpu *pc)
{
	struct gic_cpu *g = &arm64_cpu_of(pc)->gic;

	if (!g->report_what)
		return;
	printk("GIC: cell \"%s\" CPU %u: write to %s offset 0x%llx touches interrupts it does not own, ignored (%u so far)\n",
	       pc->cell->config->name, pc->cpu_id, g->report_what,
	       (unsigned long long)g->report_off, g->report_count);
	g->report_what = NULL;
}

static void owned_word(const struct cell *cell, unsigned int first,
		       uint32_t *bitmap)
{
	unsigned int w = first / 32, n;

	bitmap[w] = 0;
	for (n = 0; n < 32; n++)
		if (cell_owns_intid(cell, w * 32 + n) &&
		    w * 32 + n >= GIC_FIRST_SPI)
			bitmap[w] |= 1u << n;
}

static bool cpu_affinity_in_cell(const struct cell *cell, uint32_t aff)
{
	unsigned int cpu;

	for_each_cpu_id(cpu)
		if (cell_owns_cpu(cell, cpu) &&
		    mpidr_affinity_packed(arm64_cpu_of(per_cpu(cpu))->mpidr) ==
			    aff)
			return true;
	return false;
}

/* Shared by both: bitmaps and per-INTID fields under mask. */
/*
 * Shared by both: bitmaps and per-INTID fields under mask. Writes to
 * other cells' interrupts are counted (count); the hypervisor's own
 * SGIs and maintenance PPI in a CPU's frame are silently kept.
 */
static void filtered_access(struct per_cpu *pc, const char *what,
			    const struct gic_reg *r, uint64_t hw_addr,
			    uint64_t off, unsigned int size, bool is_write,
			    uint64_t *value, uint64_t mask, bool count)
{
	uint64_t hw;

	if (!is_write) {
		*value = mmio_read(hw_addr, size) & mask;
		return;
	}
	if (r->kind == GIC_REG_SETCLR) {
		if (*value & mask)
			mmio_write(hw_addr, size, *value & mask);
		if ((*value & ~mask) && count)
			count_ignored(pc, what, off);
		return;
	}
	hw = mmio_read(hw_addr, size);
	if ((hw & ~mask) != (*value & ~mask) && count)
		count_ignored(pc, what, off);
	if ((hw & mask) != (*value & mask))
		mmio_write(hw_addr, size, gic_merge(hw, *value, mask));
}

static void irouter_access(struct per_cpu *pc, const struct gic_reg *r,
			   uint64_t off, unsigned int size, bool is_write,
			   uint64_t *value)
{
	uint64_t reg = gicd_base + GICD_IROUTER + 8ULL * r->first_irq;
	uint64_t val;

	if (!cell_owns_intid(pc->cell, r->first_irq)) {
		if (is_write)
			count_ignored(pc, "GICD_IROUTER", off);
		else
			*value = 0;
		return;
	}
	if (!is_write) {
		*value = mmio_read(gicd_base + off, size);
		return;
	}
	if (size == 4 && (off & 4))
		return;		/* Aff3 alone: the low half decides */
	val = size == 8 ? *value :
	      (mmio_read(reg, 8) & ~0xffffffffULL) | (*value & 0xffffffffULL);
	if ((val & GICD_IROUTER_IRM) ||
	    !cpu_affinity_in_cell(pc->cell, gic_irouter_affinity(val))) {
		count_ignored(pc, "GICD_IROUTER (target outside the cell)", off);
		return;
	}
	mmio_write(reg, 8, gic_irouter_of(val));
}

static void gicd_access(struct per_cpu *pc, uint64_t off, unsigned int size,
			bool is_write, uint64_t *value)
{
	uint32_t owned[GIC_BITMAP_WORDS];
	struct gic_reg r;

	gicd_decode(off, size, &r);
	switch (r.kind) {
	case GIC_REG_ID:
		if (!is_write)
			*value = mmio_read32(gicd_base + off);
		return;
	case GIC_REG_SETCLR:
	case GIC_REG_RMW:
		owned_word(pc->cell, r.first_irq, owned);
		filtered_access(pc, "GICD", &r, gicd_base + off, off, size,
				is_write, value,
				gic_owned_mask(&r, size, owned), true);
		return;
	case GIC_REG_IROUTER:
		irouter_access(pc, &r, off, size, is_write, value);
		return;
	default:
		if (!is_write)
			*value = 0;
		return;
	}
}

static int highest_cpu_of(const struct cell *cell)
{
	int cpu, last = -1;

	for (cpu = 0; cpu < (int)hv_max_cpus; cpu++)
		if (cell_owns_cpu(cell, (unsigned int)cpu))
			last = cpu;
	return last;
}

static void gicr_access(struct per_cpu *pc, uint64_t off, unsigned int size,
			bool is_write, uint64_t *value)
{
	unsigned int frame = (unsigned int)(off / GICR_STRIDE);
	uint64_t in = off % GICR_STRIDE, base = gicr_base + off - in;
	int cpu = frame < GICR_MAX_FRAMES ? frame_cpu[frame] : -1;
	bool own = cpu >= 0 && cell_owns_cpu(pc->cell, (unsigned int)cpu);
	uint32_t owned[GIC_BITMAP_WORDS];
	struct gic_reg r;
	uint64_t typer;

	gicr_decode(in, size, &r);
	if (is_write && r.kind != GIC_REG_SETCLR && r.kind != GIC_REG_RMW &&
	    !(r.kind == GIC_REG_PRIVATE && own)) {
		if (r.kind != GIC_REG_ID && r.kind != GIC_REG_TYPER)
			count_ignored(pc, "GICR", off);
		return;
	}
	switch (r.kind) {
	case GIC_REG_ID:
		*value = mmio_read32(base + in);
		return;
	case GIC_REG_TYPER:
		typer = gicr_typer_view(mmio_read(base + GICR_TYPER, 8),
					cpu >= 0 && cpu == highest_cpu_of(pc->cell));
		*value = size == 8 ? typer :
			 in == GICR_TYPER ? (typer & 0xffffffff) : typer >> 32;
		return;
	case GIC_REG_PRIVATE:
		if (!own)
			*value = 0;
		else if (is_write)
			mmio_write32(base + in, (uint32_t)*value);
		else
			*value = mmio_read32(base + in);
		return;
	case GIC_REG_SETCLR:
	case GIC_REG_RMW:
		owned[0] = own ? ~hyp_private_mask() : 0;
		filtered_access(pc, "GICR", &r, base + in, off, size,
				is_write, value, gic_owned_mask(&r, size, owned),
				!own);
		return;
	default:
		*value = 0;
		return;
	}
}

/*
 * Without the big lock: the root's GIC accesses are frequent and must not
 * wait behind management or a cell's hypercalls. Read-modify-writes are
 * serialised by their own lock; ownership changes only by management,
 * which moves an SPI with set/clear registers.
 */
static uint32_t gic_emul_lock;

bool gic_mmio_access(struct per_cpu *pc, uint64_t addr, unsigned int size,
		     bool is_write, uint64_t *value)
{
	bool dist;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return false;
	if (addr >= gicd_base && addr - gicd_base < GICD_SIZE)
		dist = true;
	else if (addr >= gicr_base &&
		 addr - gicr_base < GICR_STRIDE * hv_max_cpus)
		dist = false;
	else
		return false;
	spin_lock(&gic_emul_lock);
	if (dist)
		gicd_access(pc, addr - gicd_base, size, is_write, value);
	else
		gicr_access(pc, addr - gicr_base, size, is_write, value);
	spin_unlock(&gic_emul_lock);
	return true;
}
