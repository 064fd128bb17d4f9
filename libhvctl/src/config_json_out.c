// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binary config -> JSON decompiler.
 *
 * Written by hand rather than through json-c's printer so that the layout
 * stays readable (one array element per line, flags on one line) and the
 * key order follows the binary layout. Whatever the binary holds is
 * emitted, so compiling the text gives back the same bytes; the rules
 * for the unusual parts (padding, union leftovers, root cell header) are
 * in configs/README.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define JW_MAX_DEPTH	8

struct jw {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
	int depth;
	struct {
		bool inl;	/* everything on one line */
		bool first;	/* nothing written at this level yet */
		bool is_obj;
	} lv[JW_MAX_DEPTH];
};

static void jw_put(struct jw *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (hvctl_grow(&w->buf, &w->cap, w->len + n + 1, 1)) {
		w->oom = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void jw_puts(struct jw *w, const char *s)
{
	jw_put(w, s, strlen(s));
}

static void jw_newline(struct jw *w, int depth)
{
	static const char spaces[] = "                ";
	int i;

	jw_put(w, "\n", 1);
	for (i = 0; i < depth; i++)
		jw_put(w, spaces, 2);
}

static void jw_quoted(struct jw *w, const char *s, size_t n)
{
	size_t i, start = 0;
	char esc[8];

	jw_put(w, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		jw_put(w, s + start, i - start);
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (c == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		jw_puts(w, esc);
		start = i + 1;
	}
	jw_put(w, s + start, n - start);
	jw_put(w, "\"", 1);
}

/* Start an item (key may be NULL inside arrays). */
static void jw_item(struct jw *w, const char *key)
{
	typeof(w->lv[0]) *lv = &w->lv[w->depth];

	if (lv->inl) {
		if (!lv->first)
			jw_puts(w, ", ");
		else if (lv->is_obj)
			jw_puts(w, " ");
	} else {
		if (!lv->first)
			jw_puts(w, ",");
		jw_newline(w, w->depth + 1);
	}
	lv->first = false;
	if (key) {
		jw_quoted(w, key, strlen(key));
		jw_puts(w, ": ");
	}
}

static void jw_open(struct jw *w, const char *key, bool is_obj, bool inl)
{
	if (w->depth >= 0)
		jw_item(w, key);
	jw_puts(w, is_obj ? "{" : "[");
	w->depth++;
	w->lv[w->depth].inl = inl || (w->depth > 0 && w->lv[w->depth - 1].inl);
	w->lv[w->depth].first = true;
	w->lv[w->depth].is_obj = is_obj;
}

static void jw_close(struct jw *w)
{
	typeof(w->lv[0]) *lv = &w->lv[w->depth];

	if (!lv->first) {
		if (lv->inl && lv->is_obj)
			jw_puts(w, " ");
		else if (!lv->inl)
			jw_newline(w, w->depth);
	}
	jw_puts(w, lv->is_obj ? "}" : "]");
	w->depth--;
}

static void jw_string(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_item(w, key);
	jw_quoted(w, s, n);
}

__attribute__((format(printf, 3, 4)))
static void jw_rawf(struct jw *w, const char *key, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	jw_item(w, key);
	jw_puts(w, buf);
}

/* Plain integers; above 2^53 JSON readers lose precision, so use hex. */
static void jw_uint(struct jw *w, const char *key, uint64_t v)
{
	if (v >> 53)
		jw_rawf(w, key, "\"0x%" PRIx64 "\"", v);
	else
		jw_rawf(w, key, "%" PRIu64, v);
}

static void jw_addr(struct jw *w, const char *key, uint64_t v)
{
	if (!v)
		jw_rawf(w, key, "0");
	else
		jw_rawf(w, key, "\"0x%" PRIx64 "\"", v);
}

static void jw_size(struct jw *w, const char *key, uint64_t v)
{
	char buf[CONFIG_NUM_BUF];

	config_format_size(buf, sizeof(buf), v);
	if (!v)
		jw_rawf(w, key, "0");
	else
		jw_rawf(w, key, "\"%s\"", buf);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_rawf(w, key, "%s", v ? "true" : "false");
}

static void jw_flags(struct jw *w, const char *key,
		     const struct config_flag_name *table, uint64_t flags)
{
	uint64_t rest = flags;

	jw_open(w, key, false, true);
	for (; table->name; table++) {
		if (flags & table->bit) {
			jw_string(w, NULL, table->name, strlen(table->name));
			rest &= ~table->bit;
		}
	}
	if (rest)
		jw_rawf(w, NULL, "\"0x%" PRIx64 "\"", rest);
	jw_close(w);
}

static void jw_enum(struct jw *w, const char *key,
		    const struct config_enum_name *table, uint32_t v)
{
	const char *name = config_enum_to_name(table, v);

	if (name)
		jw_string(w, key, name, strlen(name));
	else
		jw_rawf(w, key, "\"0x%x\"", v);
}

static void jw_hexbytes(struct jw *w, const char *key, const uint8_t *p,
			size_t n)
{
	char buf[2 * 44 + 1];
	size_t i;

	for (i = 0; i < n && i < 44; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	buf[2 * i] = '\0';
	jw_string(w, key, buf, 2 * i);
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static void jw_bdf(struct jw *w, const char *key, uint16_t bdf)
{
	jw_rawf(w, key, "\"%02x:%02x.%x\"", bdf >> 8, (bdf >> 3) & 0x1f,
		bdf & 7);
}

/* ---- Pieces ---- */

static void emit_console(struct jw *w, const char *key,
			 const struct hv_console *con)
{
	jw_open(w, key, true, true);
	jw_addr(w, "address", con->address);
	jw_size(w, "size", con->size);
	jw_enum(w, "type", config_console_types, con->type);
	jw_flags(w, "flags", config_console_flags, con->flags);
	if (con->divider)
		jw_uint(w, "divider", con->divider);
	if (con->gate_nr)
		jw_uint(w, "gate_nr", con->gate_nr);
	if (con->clock_reg)
		jw_addr(w, "clock_reg", con->clock_reg);
	jw_close(w);
}

static void emit_memory(struct jw *w, const struct hv_memory *m,
			const char *name)
{
	jw_open(w, NULL, true, true);
	if (name)
		jw_string(w, "name", name, strlen(name));
	jw_addr(w, "phys_start", m->phys_start);
	jw_addr(w, "virt_start", m->virt_start);
	jw_size(w, "size", m->size);
	jw_flags(w, "flags", config_mem_flags, m->flags);
	jw_close(w);
}

/* The name of region index if exactly one region carries it. */
static const char *unique_region_name(const struct hvctl_config *c,
				      uint32_t index)
{
	const char *name;
	uint32_t i;

	if (!c->mem_names || index >= c->cell->num_memory_regions)
		return NULL;
	name = c->mem_names[index];
	if (!name)
		return NULL;
	/* A name that reads as a number would be taken as an index. */
	{
		uint64_t dummy;

		if (!config_parse_number(name, &dummy))
			return NULL;
	}
	for (i = 0; i < c->cell->num_memory_regions; i++)
		if (i != index && c->mem_names[i] &&
		    !strcmp(c->mem_names[i], name))
			return NULL;
	return name;
}

static void emit_pci(struct jw *w, const struct hvctl_config *c, uint32_t i)
{
	const struct hv_pci_device *d = &c->pci[i];
	const struct config_bar_preset *preset;
	bool ivshmem = d->type == HV_PCI_TYPE_IVSHMEM;
	uint8_t pad = d->msi_flags & ~(HV_PCI_MSI_64BITS | HV_PCI_MSI_MASKABLE);
	uint32_t masks[6];
	const char *name;
	int k;

	jw_open(w, NULL, true, false);
	if (c->pci_names && c->pci_names[i])
		jw_string(w, "name", c->pci_names[i], strlen(c->pci_names[i]));
	jw_enum(w, "type", config_pci_types, d->type);
	jw_uint(w, "iommu", d->iommu);
	jw_uint(w, "domain", d->domain);
	jw_bdf(w, "bdf", d->bdf);
	memcpy(masks, d->bar_mask, sizeof(masks));
	if (!all_zero(masks, sizeof(masks))) {
		for (preset = config_bar_presets; preset->name; preset++)
			if (!memcmp(preset->mask, masks, sizeof(masks)))
				break;
		if (preset->name) {
			jw_string(w, "bar_mask", preset->name,
				  strlen(preset->name));
		} else {
			jw_open(w, "bar_mask", false, true);
			for (k = 0; k < 6; k++)
				jw_addr(w, NULL, masks[k]);
			jw_close(w);
		}
	}
	if (d->caps_start || d->num_caps) {
		jw_uint(w, "caps_start", d->caps_start);
		jw_uint(w, "num_caps", d->num_caps);
	}
	if (d->num_msi_vectors)
		jw_uint(w, "num_msi_vectors", d->num_msi_vectors);
	if (d->msi_flags & HV_PCI_MSI_64BITS)
		jw_bool(w, "msi_64bits", true);
	if (d->msi_flags & HV_PCI_MSI_MASKABLE)
		jw_bool(w, "msi_maskable", true);
	if (d->num_msix_vectors)
		jw_uint(w, "num_msix_vectors", d->num_msix_vectors);
	if (d->msix_region_size)
		jw_addr(w, "msix_region_size", d->msix_region_size);
	if (d->msix_address)
		jw_addr(w, "msix_address", d->msix_address);
	if (ivshmem || d->shmem_regions_start) {
		name = unique_region_name(c, d->shmem_regions_start);
		if (name)
			jw_string(w, "shmem_regions_start", name, strlen(name));
		else
			jw_uint(w, "shmem_regions_start",
				d->shmem_regions_start);
	}
	if (ivshmem || d->shmem_dev_id)
		jw_uint(w, "shmem_dev_id", d->shmem_dev_id);
	if (ivshmem || d->shmem_peers)
		jw_uint(w, "shmem_peers", d->shmem_peers);
	if (ivshmem || d->shmem_protocol)
		jw_enum(w, "shmem_protocol", config_shmem_protocols,
			d->shmem_protocol);
	if (pad)
		jw_rawf(w, "padding", "\"0x%02x\"", pad);
	jw_close(w);
}

static void emit_irqchip(struct jw *w, const struct hv_irqchip *chip)
{
	uint8_t bits[HV_IRQCHIP_PINS / 8];
	uint32_t words[HV_IRQCHIP_PINS / 32];
	char *list;
	int n, k;

	memcpy(words, chip->pin_bitmap, sizeof(words));
	for (k = 0; k < HV_IRQCHIP_PINS / 8; k++)
		bits[k] = (uint8_t)(words[k / 4] >> (8 * (k % 4)));
	n = config_bitmap_format(NULL, 0, bits, sizeof(bits), chip->pin_base);
	list = malloc((size_t)n + 1);
	if (!list) {
		w->oom = true;
		return;
	}
	config_bitmap_format(list, (size_t)n + 1, bits, sizeof(bits),
			     chip->pin_base);
	jw_open(w, NULL, true, true);
	jw_addr(w, "address", chip->address);
	jw_uint(w, "id", chip->id);
	jw_uint(w, "pin_base", chip->pin_base);
	jw_string(w, "interrupts", list, (size_t)n);
	jw_close(w);
	free(list);
}

/* Highest CPU in the set plus one; 0 for an empty set. */
static uint64_t highest_cpu_plus_one(const uint8_t *set, uint32_t size)
{
	uint32_t i = size;

	while (i > 0 && !set[i - 1])
		i--;
	if (!i)
		return 0;
	return (uint64_t)(i - 1) * 8 + 32 - (uint64_t)__builtin_clz(set[i - 1]);
}

static void emit_cell(struct jw *w, const struct hvctl_config *c,
		      bool is_root)
{
	const struct hv_cell_desc *d = c->cell;
	struct hv_console con;
	char *list;
	uint32_t i;
	int n;

	if (is_root) {
		if (!all_zero(d->signature, sizeof(d->signature))) {
			size_t len = sizeof(d->signature);

			while (!d->signature[len - 1])
				len--;
			jw_string(w, "signature", d->signature, len);
		}
		if (d->architecture)
			jw_enum(w, "architecture", config_arch_names,
				d->architecture);
		if (d->revision)
			jw_uint(w, "revision", d->revision);
	}
	jw_string(w, "name", d->name, strlen(d->name));
	if (d->id)
		jw_uint(w, "id", d->id);
	jw_flags(w, "flags", config_cell_flags, d->flags);

	n = hvctl_cpulist_format(NULL, 0, c->cpu_set, d->cpu_set_size);
	list = malloc((size_t)n + 1);
	if (!list) {
		w->oom = true;
		return;
	}
	hvctl_cpulist_format(list, (size_t)n + 1, c->cpu_set, d->cpu_set_size);
	jw_string(w, "cpu_set", list, (size_t)n);
	free(list);
	if (d->cpu_set_size != config_cpu_set_default_size(
		highest_cpu_plus_one(c->cpu_set, d->cpu_set_size)))
		jw_uint(w, "cpu_set_size", d->cpu_set_size);

	if (d->vpci_irq_base)
		jw_uint(w, "vpci_irq_base", d->vpci_irq_base);
	if (d->cpu_reset_address)
		jw_addr(w, "cpu_reset_address", d->cpu_reset_address);
	if (d->msg_reply_timeout)
		jw_uint(w, "msg_reply_timeout", d->msg_reply_timeout);
	memcpy(&con, &d->console, sizeof(con));
	if (!all_zero(&con, sizeof(con)))
		emit_console(w, "console", &con);

	if (d->num_memory_regions) {
		jw_open(w, "memory_regions", false, false);
		for (i = 0; i < d->num_memory_regions; i++)
			emit_memory(w, &c->mem[i],
				    c->mem_names ? c->mem_names[i] : NULL);
		jw_close(w);
	}
	if (d->num_cache_regions) {
		jw_open(w, "cache_regions", false, false);
		for (i = 0; i < d->num_cache_regions; i++) {
			const struct hv_cache *ca = &c->cache[i];

			jw_open(w, NULL, true, true);
			jw_uint(w, "start", ca->start);
			jw_uint(w, "size", ca->size);
			jw_enum(w, "type", config_cache_types, ca->type);
			if (ca->padding)
				jw_rawf(w, "padding", "\"0x%02x\"", ca->padding);
			jw_flags(w, "flags", config_cache_flags, ca->flags);
			jw_close(w);
		}
		jw_close(w);
	}
	if (d->num_irqchips) {
		jw_open(w, "irqchips", false, false);
		for (i = 0; i < d->num_irqchips; i++)
			emit_irqchip(w, &c->irqchips[i]);
		jw_close(w);
	}
	if (d->num_pio_regions) {
		jw_open(w, "pio_regions", false, false);
		for (i = 0; i < d->num_pio_regions; i++) {
			jw_open(w, NULL, true, true);
			jw_addr(w, "base", c->pio[i].base);
			jw_uint(w, "length", c->pio[i].length);
			jw_close(w);
		}
		jw_close(w);
	}
	if (d->num_pci_devices) {
		jw_open(w, "pci_devices", false, false);
		for (i = 0; i < d->num_pci_devices; i++)
			emit_pci(w, c, i);
		jw_close(w);
	}
	if (d->num_pci_caps) {
		jw_open(w, "pci_caps", false, false);
		for (i = 0; i < d->num_pci_caps; i++) {
			const struct hv_pci_capability *cap = &c->pci_caps[i];

			jw_open(w, NULL, true, true);
			jw_addr(w, "id", cap->id);
			jw_addr(w, "start", cap->start);
			jw_uint(w, "len", cap->len);
			jw_flags(w, "flags", config_pcicap_flags, cap->flags);
			jw_close(w);
		}
		jw_close(w);
	}
	if (d->num_stream_ids) {
		jw_open(w, "stream_ids", false, true);
		for (i = 0; i < d->num_stream_ids; i++)
			jw_addr(w, NULL, c->stream_ids[i].id);
		jw_close(w);
	}
}

static void emit_iommu(struct jw *w, const struct hv_iommu *u)
{
	const uint8_t *raw = u->raw;

	jw_open(w, NULL, true, true);
	jw_enum(w, "type", config_iommu_types, u->type);
	jw_addr(w, "base", u->base);
	jw_size(w, "size", u->size);
	switch (u->type) {
	case HV_IOMMU_AMD:
		jw_bdf(w, "amd_bdf", u->amd.bdf);
		jw_addr(w, "amd_base_cap", u->amd.base_cap);
		jw_addr(w, "amd_msi_cap", u->amd.msi_cap);
		jw_addr(w, "amd_features", u->amd.features);
		raw += CONFIG_IOMMU_AMD_RAW_OFFSET;
		if (!all_zero(raw, sizeof(u->raw) - CONFIG_IOMMU_AMD_RAW_OFFSET))
			jw_hexbytes(w, "raw", raw, sizeof(u->raw) -
				    CONFIG_IOMMU_AMD_RAW_OFFSET);
		break;
	case HV_IOMMU_PVU:
		jw_addr(w, "tipvu_tlb_base", u->tipvu.tlb_base);
		jw_size(w, "tipvu_tlb_size", u->tipvu.tlb_size);
		break;
	default:
		if (!all_zero(raw, sizeof(u->raw)))
			jw_hexbytes(w, "raw", raw, sizeof(u->raw));
		break;
	}
	jw_close(w);
}

static void emit_platform(struct jw *w, const struct hvctl_config *c)
{
	const struct hv_platform_info *pi = &c->system->platform_info;
	int i, last = -1;

	jw_open(w, "platform_info", true, false);
	jw_addr(w, "pci_mmconfig_base", pi->pci_mmconfig_base);
	jw_uint(w, "pci_mmconfig_end_bus", pi->pci_mmconfig_end_bus);
	jw_uint(w, "pci_is_virtual", pi->pci_is_virtual);
	jw_uint(w, "pci_domain", pi->pci_domain);
	for (i = 0; i < HV_MAX_IOMMU_UNITS; i++)
		if (!all_zero(&pi->iommu_units[i], sizeof(pi->iommu_units[i])))
			last = i;
	if (last >= 0) {
		jw_open(w, "iommu_units", false, false);
		for (i = 0; i <= last; i++)
			emit_iommu(w, &pi->iommu_units[i]);
		jw_close(w);
	}
	if (c->architecture == HV_ARCH_X86) {
		const struct hv_platform_x86 *x = &pi->x86;
		const uint8_t *raw = pi->raw + CONFIG_X86_RAW_OFFSET;
		size_t raw_len = sizeof(pi->raw) - CONFIG_X86_RAW_OFFSET;

		jw_open(w, "x86", true, false);
		jw_addr(w, "pm_timer_address", x->pm_timer_address);
		jw_uint(w, "apic_mode", x->apic_mode);
		if (x->padding)
			jw_rawf(w, "padding", "\"0x%02x\"", x->padding);
		jw_uint(w, "vtd_interrupt_limit", x->vtd_interrupt_limit);
		jw_uint(w, "tsc_khz", x->tsc_khz);
		jw_uint(w, "apic_khz", x->apic_khz);
		if (!all_zero(raw, raw_len))
			jw_hexbytes(w, "raw", raw, raw_len);
		jw_close(w);
	} else {
		const struct hv_platform_arm *a = &pi->arm;

		jw_open(w, "arm", true, false);
		jw_uint(w, "maintenance_irq", a->maintenance_irq);
		jw_uint(w, "gic_version", a->gic_version);
		if (a->padding[0] || a->padding[1])
			jw_rawf(w, "padding", "\"0x%04x\"",
				a->padding[0] | a->padding[1] << 8);
		jw_addr(w, "gicd_base", a->gicd_base);
		jw_addr(w, "gicc_base", a->gicc_base);
		jw_addr(w, "gich_base", a->gich_base);
		jw_addr(w, "gicv_base", a->gicv_base);
		jw_addr(w, "gicr_base", a->gicr_base);
		jw_close(w);
	}
	jw_close(w);
}

int hvctl_config_to_json(const struct hvctl_config *config, char **out,
			 struct hvctl_error *err)
{
	struct jw w = { .depth = -1 };
	const struct hv_system *s = config->system;

	*out = NULL;
	jw_open(&w, NULL, true, false);
	jw_string(&w, "type", config->is_system ? "system" : "cell",
		  config->is_system ? 6 : 4);
	jw_enum(&w, "architecture", config_arch_names, config->architecture);
	jw_uint(&w, "revision", HV_CONFIG_REVISION);
	if (s) {
		struct hv_memory hm;
		struct hv_console con;

		jw_flags(&w, "flags", config_sys_flags, s->flags);
		memcpy(&hm, &s->hypervisor_memory, sizeof(hm));
		jw_open(&w, "hypervisor_memory", true, true);
		jw_addr(&w, "phys_start", hm.phys_start);
		if (hm.virt_start)
			jw_addr(&w, "virt_start", hm.virt_start);
		jw_size(&w, "size", hm.size);
		if (hm.flags)
			jw_flags(&w, "flags", config_mem_flags, hm.flags);
		jw_close(&w);
		memcpy(&con, &s->debug_console, sizeof(con));
		emit_console(&w, "debug_console", &con);
		emit_platform(&w, config);
		jw_open(&w, "root_cell", true, false);
		emit_cell(&w, config, true);
		jw_close(&w);
	} else {
		emit_cell(&w, config, false);
	}
	jw_close(&w);
	jw_puts(&w, "\n");
	if (w.oom) {
		free(w.buf);
		config_error(err, "%s: out of memory", config_name(config));
		return -ENOMEM;
	}
	*out = w.buf;
	return 0;
}
