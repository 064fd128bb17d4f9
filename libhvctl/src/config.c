// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binary .cell configs (revision 14): parsing with strict bounds, the
 * typed views, atomic writing, CPU helpers, and the name tables and
 * number formatting shared with the JSON codec and the checker.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvctl/text.h>

#include "config_internal.h"

/* ---- Name tables ---- */

const struct config_flag_name config_mem_flags[] = {
	{ HV_MEM_READ, "read" },
	{ HV_MEM_WRITE, "write" },
	{ HV_MEM_EXECUTE, "execute" },
	{ HV_MEM_DMA, "dma" },
	{ HV_MEM_IO, "io" },
	{ HV_MEM_COMM_REGION, "comm_region" },
	{ HV_MEM_LOADABLE, "loadable" },
	{ HV_MEM_ROOTSHARED, "rootshared" },
	{ HV_MEM_NO_HUGEPAGES, "no_hugepages" },
	{ HV_MEM_IO_UNALIGNED, "io_unaligned" },
	{ HV_MEM_IO_8, "io_8" },
	{ HV_MEM_IO_16, "io_16" },
	{ HV_MEM_IO_32, "io_32" },
	{ HV_MEM_IO_64, "io_64" },
	{ 0, NULL },
};

const struct config_flag_name config_cell_flags[] = {
	{ HV_CELL_PASSIVE_COMMREG, "passive_commreg" },
	{ HV_CELL_TEST_DEVICE, "test_device" },
	{ HV_CELL_AARCH32, "aarch32" },
	{ HV_CELL_VIRTUAL_CONSOLE_PERMITTED, "virtual_console_permitted" },
	{ HV_CELL_VIRTUAL_CONSOLE_ACTIVE, "virtual_console_active" },
	{ 0, NULL },
};

const struct config_flag_name config_sys_flags[] = {
	{ HV_SYS_VIRTUAL_DEBUG_CONSOLE, "virtual_debug_console" },
	{ 0, NULL },
};

const struct config_flag_name config_console_flags[] = {
	{ HV_CON_ACCESS_MMIO, "access_mmio" },
	{ HV_CON_REGDIST_4, "regdist_4" },
	{ HV_CON_FB_1920x1080, "fb_1920x1080" },
	{ HV_CON_INVERTED_GATE, "inverted_gate" },
	{ HV_CON_MDR_QUIRK, "mdr_quirk" },
	{ 0, NULL },
};

const struct config_flag_name config_cache_flags[] = {
	{ HV_CACHE_ROOTSHARED, "rootshared" },
	{ 0, NULL },
};

const struct config_flag_name config_pcicap_flags[] = {
	{ HV_PCICAPS_WRITE, "write" },
	{ 0, NULL },
};

const struct config_enum_name config_arch_names[] = {
	{ HV_ARCH_X86, "x86" },
	{ HV_ARCH_ARM, "arm" },
	{ HV_ARCH_ARM64, "arm64" },
	{ 0, NULL },
};

const struct config_enum_name config_console_types[] = {
	{ HV_CON_TYPE_NONE, "none" },
	{ HV_CON_TYPE_EFIFB, "efifb" },
	{ HV_CON_TYPE_8250, "8250" },
	{ HV_CON_TYPE_PL011, "pl011" },
	{ HV_CON_TYPE_XUARTPS, "xuartps" },
	{ HV_CON_TYPE_MVEBU, "mvebu" },
	{ HV_CON_TYPE_HSCIF, "hscif" },
	{ HV_CON_TYPE_SCIFA, "scifa" },
	{ HV_CON_TYPE_IMX, "imx" },
	{ HV_CON_TYPE_IMX_LPUART, "imx_lpuart" },
	{ HV_CON_TYPE_SCIF, "scif" },
	{ 0, NULL },
};

const struct config_enum_name config_pci_types[] = {
	{ HV_PCI_TYPE_DEVICE, "device" },
	{ HV_PCI_TYPE_BRIDGE, "bridge" },
	{ HV_PCI_TYPE_IVSHMEM, "ivshmem" },
	{ 0, NULL },
};

const struct config_enum_name config_cache_types[] = {
	{ HV_CACHE_L3_CODE, "l3_code" },
	{ HV_CACHE_L3_DATA, "l3_data" },
	{ HV_CACHE_L3, "l3" },
	{ 0, NULL },
};

const struct config_enum_name config_iommu_types[] = {
	{ HV_IOMMU_UNUSED, "unused" },
	{ HV_IOMMU_AMD, "amd" },
	{ HV_IOMMU_INTEL, "intel" },
	{ HV_IOMMU_SMMUV3, "smmuv3" },
	{ HV_IOMMU_PVU, "pvu" },
	{ HV_IOMMU_ARM_MMU500, "arm_mmu500" },
	{ 0, NULL },
};

const struct config_enum_name config_shmem_protocols[] = {
	{ HV_SHMEM_PROTO_UNDEFINED, "undefined" },
	{ HV_SHMEM_PROTO_VETH, "veth" },
	{ HV_SHMEM_PROTO_CUSTOM, "custom" },
	{ HV_SHMEM_PROTO_VIRTIO_FRONT, "virtio_front" },
	{ HV_SHMEM_PROTO_VIRTIO_BACK, "virtio_back" },
	{ 0, NULL },
};

const char *config_enum_to_name(const struct config_enum_name *table,
				uint32_t value)
{
	for (; table->name; table++)
		if (table->value == value)
			return table->name;
	return NULL;
}

int config_enum_from_name(const struct config_enum_name *table,
			  const char *name, uint32_t *value)
{
	for (; table->name; table++) {
		if (!strcmp(table->name, name)) {
			*value = table->value;
			return 0;
		}
	}
	return -ENOENT;
}

int config_flag_from_name(const struct config_flag_name *table,
			  const char *name, uint64_t *bit)
{
	for (; table->name; table++) {
		if (!strcmp(table->name, name)) {
			*bit = table->bit;
			return 0;
		}
	}
	return -ENOENT;
}

const char *config_arch_name(uint8_t arch)
{
	static const char *const names[] = { "x86", "arm", "arm64" };
	static __thread char other[24];

	if (arch < sizeof(names) / sizeof(names[0]))
		return names[arch];
	snprintf(other, sizeof(other), "architecture %u", arch);
	return other;
}

/* ---- Text helpers with snprintf semantics ---- */

struct sfmt {
	char *buf;
	size_t len;
	size_t pos;
};

static void sfmt_init(struct sfmt *s, char *buf, size_t len)
{
	s->buf = buf;
	s->len = len;
	s->pos = 0;
	if (len)
		buf[0] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void sfmt_add(struct sfmt *s, const char *fmt, ...)
{
	size_t room = s->pos < s->len ? s->len - s->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? s->buf + s->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->pos += n;
}

static int sfmt_done(const struct sfmt *s)
{
	return s->pos > INT32_MAX ? INT32_MAX : (int)s->pos;
}

int config_flags_format(char *buf, size_t len,
			const struct config_flag_name *table, uint64_t flags,
			const char *sep)
{
	uint64_t rest = flags;
	const char *s = "";
	struct sfmt f;

	sfmt_init(&f, buf, len);
	for (; table->name; table++) {
		if (flags & table->bit) {
			sfmt_add(&f, "%s%s", s, table->name);
			rest &= ~table->bit;
			s = sep;
		}
	}
	if (rest)
		sfmt_add(&f, "%s0x%" PRIx64, s, rest);
	return sfmt_done(&f);
}

int hvctl_config_mem_flags_str(char *buf, size_t len, uint64_t flags)
{
	return config_flags_format(buf, len, config_mem_flags, flags, ",");
}

int config_format_addr(char *buf, size_t len, uint64_t value)
{
	if (!value)
		return snprintf(buf, len, "0");
	return snprintf(buf, len, "0x%" PRIx64, value);
}

int config_format_size(char *buf, size_t len, uint64_t value)
{
	static const struct {
		unsigned int shift;
		char suffix;
	} units[] = { { 30, 'G' }, { 20, 'M' }, { 10, 'K' } };
	size_t i;

	if (!value)
		return snprintf(buf, len, "0");
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t unit = (uint64_t)1 << units[i].shift;

		if (value % unit == 0)
			return snprintf(buf, len, "%" PRIu64 "%c",
					value >> units[i].shift,
					units[i].suffix);
	}
	return snprintf(buf, len, "0x%" PRIx64, value);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int config_parse_number(const char *text, uint64_t *value)
{
	const char *p = text;
	uint64_t v = 0;
	unsigned int shift = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!*p)
			return -EINVAL;
		for (; *p; p++) {
			int d = hex_digit(*p);

			if (d < 0)
				return -EINVAL;
			if (v >> 60)
				return -ERANGE;
			v = v << 4 | (uint64_t)d;
		}
		*value = v;
		return 0;
	}

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k':
		shift = 10;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (shift) {
		if (p[1])
			return -EINVAL;
		if (v > UINT64_MAX >> shift)
			return -ERANGE;
		v <<= shift;
	}
	*value = v;
	return 0;
}

int config_bitmap_format(char *buf, size_t len, const uint8_t *bits,
			 size_t num_bytes, uint64_t base)
{
	const char *sep = "";
	struct sfmt f;
	uint64_t n = 0, total = (uint64_t)num_bytes * 8;

	sfmt_init(&f, buf, len);
	while (n < total) {
		uint64_t first;

		/* Skip clear bits a byte at a time where possible. */
		if (n % 8 == 0 && !bits[n / 8]) {
			n += 8;
			continue;
		}
		if (!(bits[n / 8] & (1u << (n % 8)))) {
			n++;
			continue;
		}
		first = n;
		while (n < total && (bits[n / 8] & (1u << (n % 8))))
			n++;
		if (n - 1 == first)
			sfmt_add(&f, "%s%" PRIu64, sep, base + first);
		else
			sfmt_add(&f, "%s%" PRIu64 "-%" PRIu64, sep,
				 base + first, base + n - 1);
		sep = ",";
	}
	return sfmt_done(&f);
}

int hvctl_cpulist_format(char *buf, size_t len, const uint8_t *set,
			 size_t set_size)
{
	return config_bitmap_format(buf, len, set, set_size, 0);
}

/* ---- Messages ---- */

const char *config_comm_problem(const struct hv_memory *m,
				const char **field)
{
	*field = "flags";
	if (!(m->flags & HV_MEM_COMM_REGION))
		return NULL;
	if (m->phys_start) {
		*field = "phys_start";
		return "a comm_region has no physical memory of its own (the hypervisor maps its communication page at virt_start): phys_start must be 0";
	}
	if (m->flags & HV_MEM_LOADABLE)
		return "a comm_region cannot be loadable: no image is ever written into the hypervisor's communication page";
	if (m->flags & HV_MEM_IO)
		return "a comm_region cannot be io: it is the hypervisor's page, not a device";
	if (m->flags & HV_MEM_ROOTSHARED)
		return "a comm_region cannot be rootshared: a cell's communication page is its own, never the root cell's";
	return NULL;
}

int config_text_problem(const char *name, size_t len, char *why, size_t n)
{
	size_t ok = hvctl_text_clean_len(name, len);
	unsigned char c;

	if (ok == len)
		return 0;
	c = (unsigned char)name[ok];
	if (c < 0x20 || c == 0x7f)
		snprintf(why, n, "byte %zu (0x%02x) is a control character; names are printable text",
			 ok, c);
	else
		snprintf(why, n, "byte %zu (0x%02x) starts no valid UTF-8 character or a control character; names are printable text",
			 ok, c);
	return -EINVAL;
}

const char *config_name(const struct hvctl_config *config)
{
	return config && config->source ? config->source : "config";
}

void config_verror(struct hvctl_error *err, const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void config_error(struct hvctl_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(err, fmt, ap);
	va_end(ap);
}

/* ---- Binary parsing ---- */

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Printable rendering of a signature for messages. */
static void sig_text(char *out, const uint8_t *sig, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out += sprintf(out, sig[i] >= 0x20 && sig[i] < 0x7f &&
				    sig[i] != '\\' && sig[i] != '"' ?
				    "%c" : "\\x%02x", sig[i]);
	*out = '\0';
}

static int check_name(const struct hv_cell_desc *desc, const char *file,
		      const char *what, struct hvctl_error *err)
{
	const char *end = memchr(desc->name, '\0', sizeof(desc->name));
	const char *p;

	if (!end) {
		config_error(err, "%s: %s name is not NUL-terminated within %zu bytes",
			     file, what, sizeof(desc->name));
		return -EINVAL;
	}
	if (end == desc->name) {
		config_error(err, "%s: %s name is empty", file, what);
		return -EINVAL;
	}
	for (p = end; p < desc->name + sizeof(desc->name); p++) {
		if (*p) {
			config_error(err, "%s: %s name \"%s\" has non-zero bytes after its terminating NUL (offset %td)",
				     file, what, desc->name, p - desc->name);
			return -EINVAL;
		}
	}
	return 0;
}

/* One of the arrays that follow a cell descriptor. */
struct config_array {
	const char *name;
	uint64_t elem;
	uint32_t count;
};

/* Validate the image; on success fill *is_system. */
static int check_image(const uint8_t *data, size_t size, const char *file,
		       bool *is_system, struct hvctl_error *err)
{
	const struct hv_cell_desc *desc;
	uint64_t off;
	char sig[4 * HV_SIGNATURE_LEN + 1];
	uint16_t revision;
	size_t i;

	if (size == 0) {
		config_error(err, "%s: empty file, not a configuration", file);
		return -EINVAL;
	}
	if (size < sizeof(struct hv_cell_desc)) {
		config_error(err, "%s: truncated: a config descriptor needs at least %zu bytes, file has %zu",
			     file, sizeof(struct hv_cell_desc), size);
		return -EINVAL;
	}
	if (!memcmp(data, HV_V012_SYSTEM_SIGNATURE, 6) ||
	    !memcmp(data, HV_V012_CELL_SIGNATURE, 6)) {
		revision = get_le16(data + 6);
		if (revision == HV_V012_REVISION)
			config_error(err, "%s: this is a Jailhouse v0.12 (revision 12) configuration; rebuild it for revision %u",
				     file, HV_CONFIG_REVISION);
		else
			config_error(err, "%s: this is a pre-v0.13 Jailhouse configuration (6-byte signature, revision %u); rebuild it for revision %u",
				     file, revision, HV_CONFIG_REVISION);
		return -EINVAL;
	}
	if (!memcmp(data, HV_SYSTEM_SIGNATURE, HV_SIGNATURE_LEN)) {
		*is_system = true;
	} else if (!memcmp(data, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN)) {
		*is_system = false;
	} else {
		sig_text(sig, data, HV_SIGNATURE_LEN);
		config_error(err, "%s: not a Jailhouse configuration: signature \"%s\" is neither \"%s\" (system) nor \"%s\" (cell)",
			     file, sig, HV_SYSTEM_SIGNATURE, HV_CELL_SIGNATURE);
		return -EINVAL;
	}
	revision = get_le16(data + 6);
	if (revision != HV_CONFIG_REVISION) {
		config_error(err, "%s: config revision %u is not supported; this tool reads revision %u",
			     file, revision, HV_CONFIG_REVISION);
		return -EINVAL;
	}
	if (data[5] > HV_ARCH_ARM64) {
		config_error(err, "%s: unknown architecture %u (byte 5; known: 0 x86, 1 arm, 2 arm64)",
			     file, data[5]);
		return -EINVAL;
	}
	if (*is_system && size < sizeof(struct hv_system)) {
		config_error(err, "%s: truncated: a system descriptor needs %zu bytes, file has %zu",
			     file, sizeof(struct hv_system), size);
		return -EINVAL;
	}

	if (*is_system) {
		desc = &((const struct hv_system *)data)->root_cell;
		off = sizeof(struct hv_system);
	} else {
		desc = (const struct hv_cell_desc *)data;
		off = sizeof(struct hv_cell_desc);
	}
	if (desc->cpu_set_size > CONFIG_CPU_SET_SIZE_LIMIT) {
		config_error(err, "%s: cpu_set_size %u is over the limit of %u bytes",
			     file, desc->cpu_set_size, CONFIG_CPU_SET_SIZE_LIMIT);
		return -EINVAL;
	}

	/* The arrays after the descriptor, in file order (spec section 3.2). */
	const struct config_array arrays[] = {
		{ "cpu_set bytes", 1, desc->cpu_set_size },
		{ "memory_regions", sizeof(struct hv_memory), desc->num_memory_regions },
		{ "cache_regions", sizeof(struct hv_cache), desc->num_cache_regions },
		{ "irqchips", sizeof(struct hv_irqchip), desc->num_irqchips },
		{ "pio_regions", sizeof(struct hv_pio), desc->num_pio_regions },
		{ "pci_devices", sizeof(struct hv_pci_device), desc->num_pci_devices },
		{ "pci_caps", sizeof(struct hv_pci_capability), desc->num_pci_caps },
		{ "stream_ids", sizeof(union hv_stream_id), desc->num_stream_ids },
	};

	/* off <= size holds throughout; counts are 32-bit, so no overflow. */
	for (i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		uint64_t need = arrays[i].elem * arrays[i].count;

		if (need > size - off) {
			config_error(err, "%s: truncated: %s need %" PRIu64 " bytes at offset %" PRIu64 ", file has %zu",
				     file, arrays[i].name, need, off, size);
			return -EINVAL;
		}
		off += need;
	}
	if (off != size) {
		config_error(err, "%s: %" PRIu64 " trailing bytes: the counts give a config of %" PRIu64 " bytes, file has %zu",
			     file, (uint64_t)size - off, off, size);
		return -EINVAL;
	}
	return check_name(desc, file, *is_system ? "root cell" : "cell", err);
}

int config_from_image(struct hvctl_config **out, uint8_t *data, size_t size,
		      const char *name, struct hvctl_error *err)
{
	const char *file = name ? name : "config";
	struct hvctl_config *c;
	const uint8_t *p;
	bool is_system;
	int ret;

	*out = NULL;
	ret = check_image(data, size, file, &is_system, err);
	if (ret) {
		free(data);
		return ret;
	}
	c = calloc(1, sizeof(*c));
	if (!c || (name && !(c->source = strdup(name)))) {
		free(c);
		free(data);
		config_error(err, "%s: out of memory", file);
		return -ENOMEM;
	}
	c->data = data;
	c->size = size;
	c->is_system = is_system;
	c->architecture = data[5];
	if (is_system) {
		c->system = (const struct hv_system *)data;
		c->cell = &c->system->root_cell;
		p = data + sizeof(struct hv_system);
	} else {
		c->cell = (const struct hv_cell_desc *)data;
		p = data + sizeof(struct hv_cell_desc);
	}
	c->cpu_set = p;
	p += c->cell->cpu_set_size;
	c->mem = (const struct hv_memory *)p;
	p += (size_t)c->cell->num_memory_regions * sizeof(*c->mem);
	c->cache = (const struct hv_cache *)p;
	p += (size_t)c->cell->num_cache_regions * sizeof(*c->cache);
	c->irqchips = (const struct hv_irqchip *)p;
	p += (size_t)c->cell->num_irqchips * sizeof(*c->irqchips);
	c->pio = (const struct hv_pio *)p;
	p += (size_t)c->cell->num_pio_regions * sizeof(*c->pio);
	c->pci = (const struct hv_pci_device *)p;
	p += (size_t)c->cell->num_pci_devices * sizeof(*c->pci);
	c->pci_caps = (const struct hv_pci_capability *)p;
	p += (size_t)c->cell->num_pci_caps * sizeof(*c->pci_caps);
	c->stream_ids = (const union hv_stream_id *)p;
	*out = c;
	return 0;
}

int hvctl_config_parse_binary(struct hvctl_config **out, const void *data,
			      size_t size, const char *name,
			      struct hvctl_error *err)
{
	uint8_t *copy;

	*out = NULL;
	/* One spare byte so an empty image still has a buffer. */
	copy = malloc(size + 1);
	if (!copy) {
		config_error(err, "%s: out of memory", name ? name : "config");
		return -ENOMEM;
	}
	if (size)
		memcpy(copy, data, size);
	return config_from_image(out, copy, size, name, err);
}

enum hvctl_config_format hvctl_config_detect_format(const void *data,
						    size_t size)
{
	const unsigned char *p = data, *end = p + size;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == end)
		return HVCTL_CONFIG_FORMAT_UNKNOWN;
	if (*p == '{')
		return HVCTL_CONFIG_FORMAT_JSON;
	if (end - p >= 2 && p[0] == '/' && (p[1] == '/' || p[1] == '*'))
		return HVCTL_CONFIG_FORMAT_JSON;
	return HVCTL_CONFIG_FORMAT_BINARY;
}

static int read_all(const char *path, uint8_t **out, size_t *out_size,
		    struct hvctl_error *err)
{
	size_t cap = 4096, len = 0;
	uint8_t *buf, *nbuf;
	struct stat st;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		config_error(err, "%s: cannot open: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		config_error(err, "%s: is a directory, not a config file", path);
		return -EISDIR;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf)
		goto oom;
	for (;;) {
		if (len + 1 >= cap) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf)
				goto oom;
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			config_error(err, "%s: read error: %s", path,
				     strerror(-ret));
			free(buf);
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*out_size = len;
	return 0;
oom:
	free(buf);
	close(fd);
	config_error(err, "%s: out of memory", path);
	return -ENOMEM;
}

/*
 * A JSON file is parsed where it lies, mapped: the scan before parsing
 * stops at the first entry over the size limits, so a file of a million
 * regions costs the pages read up to there, not the whole text. True when
 * the file was JSON and *ret holds the result; false to read it whole.
 */
static bool read_json_mapped(struct hvctl_config **out, const char *path,
			     struct hvctl_error *err, int *ret)
{
	struct stat st;
	bool done = false;
	void *map;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > INT32_MAX) {
		close(fd);
		return false;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return false;
	if (hvctl_config_detect_format(map, (size_t)st.st_size) ==
	    HVCTL_CONFIG_FORMAT_JSON) {
		*ret = config_parse_json_len(out, map, (size_t)st.st_size,
					     path, err);
		done = true;
	}
	munmap(map, (size_t)st.st_size);
	return done;
}

int hvctl_config_read_file(struct hvctl_config **out, const char *path,
			   struct hvctl_error *err)
{
	uint8_t *buf = NULL;
	size_t size = 0;
	int ret;

	*out = NULL;
	if (read_json_mapped(out, path, err, &ret))
		return ret;
	ret = read_all(path, &buf, &size, err);
	if (ret)
		return ret;
	if (hvctl_config_detect_format(buf, size) == HVCTL_CONFIG_FORMAT_JSON) {
		if (memchr(buf, '\0', size)) {
			config_error(err, "%s: JSON text contains a NUL byte",
				     path);
			free(buf);
			return -EINVAL;
		}
		ret = hvctl_config_parse_json(out, (const char *)buf, path, err);
		free(buf);
		return ret;
	}
	return config_from_image(out, buf, size, path, err);
}

/* ---- Writing ---- */

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd >= 0) {
		/* Best effort: the rename is already done and visible. */
		(void)fsync(fd);
		close(fd);
	}
}

int hvctl_config_write_binary(const struct hvctl_config *config,
			      const char *path, struct hvctl_error *err)
{
	mode_t mode = 0644;
	struct stat st;
	char *tmp;
	int fd, ret;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		config_error(err, "%s: out of memory", path);
		return -ENOMEM;
	}
	/* Replacing a file keeps its permissions. */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		config_error(err, "%s: cannot create a temporary file next to it: %s",
			     path, strerror(-ret));
		free(tmp);
		return ret;
	}
	ret = write_all(fd, config->data, config->size);
	if (!ret && fchmod(fd, mode))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		config_error(err, "%s: cannot write: %s", path, strerror(-ret));
		unlink(tmp);
		free(tmp);
		return ret;
	}
	free(tmp);
	sync_parent_dir(path);
	return 0;
}

/* ---- Lifetime and CPU helpers ---- */

static void free_names(char **names, uint32_t count)
{
	uint32_t i;

	if (!names)
		return;
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

void hvctl_config_free(struct hvctl_config *config)
{
	if (!config)
		return;
	if (config->cell) {
		free_names(config->mem_names, config->cell->num_memory_regions);
		free_names(config->pci_names, config->cell->num_pci_devices);
	}
	free(config->data);
	free(config->source);
	free(config);
}

bool hvctl_config_has_cpu(const struct hvctl_config *config, unsigned int cpu)
{
	if (!config || !config->cell || cpu / 8 >= config->cell->cpu_set_size)
		return false;
	return config->cpu_set[cpu / 8] & (1u << (cpu % 8));
}

unsigned int hvctl_config_cpu_count(const struct hvctl_config *config)
{
	unsigned int n = 0;
	uint32_t i;

	if (!config || !config->cell)
		return 0;
	for (i = 0; i < config->cell->cpu_set_size; i++)
		n += (unsigned int)__builtin_popcount(config->cpu_set[i]);
	return n;
}
