// SPDX-License-Identifier: GPL-2.0
/*
 * hvdrv console: the hypervisor's console ring as /dev/jailhouse read()
 * (with a cursor per open file), poll() (which upstream lacks), the sysfs
 * "console" file, and the per-cell rings of cells/<id>/console.
 *
 * The ring lives in hypervisor memory; on disable the driver keeps a
 * snapshot so the last messages stay readable.
 */
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "hvdrv.h"

#define POLL_INTERVAL	(HZ / 10)
#define COPY_RETRIES	100000

struct console_reader {
	u32 head;		/* bytes of the ring this reader consumed */
	unsigned int gen;	/* enable session the head belongs to */
	unsigned int snap_seen;	/* last snapshot fully read */
};

static DECLARE_WAIT_QUEUE_HEAD(console_wq);
static struct timer_list console_timer;
static DEFINE_SPINLOCK(snap_lock);
static struct hv_virt_console *snapshot;
static unsigned int snapshot_gen;
static unsigned int enable_gen;
static u32 timer_tail;

static struct hv_virt_console *live_ring(void)
{
	return hv_mem && hv_image.console_page ? hv_mem + hv_image.console_page :
					       NULL;
}

/* Consistent copy of a ring that the hypervisor may be writing. */
static int copy_ring(void *dst, const void *src, size_t content_size,
		     size_t content_off, u32 *tail_out)
{
	const u32 *busy = src, *tail = src + 4;
	unsigned int tries = 0;
	u32 t;

	do {
		if (++tries > COPY_RETRIES)
			return -EBUSY;
		while (READ_ONCE(*busy)) {
			if (++tries > COPY_RETRIES)
				return -EBUSY;
			cpu_relax();
		}
		t = READ_ONCE(*tail);
		smp_rmb();
		memcpy(dst, src + content_off, content_size);
		smp_rmb();
	} while (READ_ONCE(*busy) || READ_ONCE(*tail) != t);
	*tail_out = t;
	return 0;
}

/* Oldest-first text of a ring: up to size bytes ending at tail. */
static size_t ring_text(char *out, const char *content, size_t ring_size,
			u32 tail, size_t size)
{
	size_t n = min_t(size_t, min_t(size_t, tail, ring_size), size);
	u32 start = tail - n;

	return hv_console_ring_copy(out, content, ring_size, start,
				    (u64)start + n);
}

/* sysfs readers: the ring is read under hv_mem_lock, see hvdrv.h. */
ssize_t hv_console_sysfs_read(char *buf)
{
	struct hv_virt_console *copy;
	ssize_t ret = 0;
	u32 tail;

	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	down_read(&hv_mem_lock);
	if (!hv_enabled || !live_ring())
		goto out;
	if (!hv_console_permitted) {
		ret = -EPERM;
		goto out;
	}
	hv_test_read_delay();
	ret = copy_ring(copy->content, live_ring(), HV_CONSOLE_SIZE, 8, &tail);
	if (ret == 0)
		ret = ring_text(buf, copy->content, HV_CONSOLE_SIZE, tail,
				PAGE_SIZE);
out:
	up_read(&hv_mem_lock);
	kfree(copy);
	return ret;
}

ssize_t hv_cell_console_read(unsigned int cell_id, char *buf, size_t size)
{
	struct hv_cell_console *rings, *copy;
	unsigned int n;
	ssize_t ret = 0;
	u32 tail;

	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	down_read(&hv_mem_lock);
	if (!hv_enabled || !hv_mem || !hv_image.cell_consoles)
		goto out;
	rings = hv_mem + hv_image.cell_consoles;
	for (n = 0; n < hv_image.num_cell_consoles; n++)
		if (READ_ONCE(rings[n].cell_id) == cell_id)
			break;
	if (n == hv_image.num_cell_consoles)
		goto out;
	hv_test_read_delay();
	ret = copy_ring(copy->content, &rings[n], HV_CELL_CONSOLE_SIZE,
			offsetof(struct hv_cell_console, content), &tail);
	if (ret == 0)
		ret = ring_text(buf, copy->content, HV_CELL_CONSOLE_SIZE, tail,
				size);
out:
	up_read(&hv_mem_lock);
	kfree(copy);
	return ret;
}

static void console_timer_fn(struct timer_list *t)
{
	struct hv_virt_console *ring = live_ring();
	u32 tail;

	if (!ring)
		return;
	tail = READ_ONCE(ring->tail);
	if (tail != timer_tail) {
		timer_tail = tail;
		wake_up_interruptible(&console_wq);
	}
	mod_timer(&console_timer, jiffies + POLL_INTERVAL);
}

void hv_console_enabled(void)
{
	enable_gen++;
	timer_tail = 0;
	mod_timer(&console_timer, jiffies + POLL_INTERVAL);
	wake_up_interruptible(&console_wq);
}

/* Called with hv_lock held, before hypervisor memory is unmapped. */
void hv_console_disabling(void)
{
	struct hv_virt_console *copy;
	u32 tail;

	del_timer_sync(&console_timer);
	copy = kzalloc(sizeof(*copy), GFP_KERNEL);
	if (copy && live_ring() &&
	    copy_ring(copy->content, live_ring(), HV_CONSOLE_SIZE, 8,
		      &tail) == 0) {
		copy->tail = tail;
		spin_lock(&snap_lock);
		swap(snapshot, copy);
		/* A failed enable never incremented enable_gen. */
		snapshot_gen = hv_enabled ? enable_gen : ++enable_gen;
		spin_unlock(&snap_lock);
	}
	kfree(copy);
	wake_up_interruptible(&console_wq);
}

/* The last line of the snapshot (the hypervisor's final word), or "". */
void hv_console_last_line(char *out, size_t size)
{
	char *text;
	size_t n, end, start;

	out[0] = 0;
	text = kmalloc(HV_CONSOLE_SIZE, GFP_KERNEL);
	if (!text)
		return;
	spin_lock(&snap_lock);
	n = snapshot ? ring_text(text, snapshot->content, HV_CONSOLE_SIZE,
				 snapshot->tail, HV_CONSOLE_SIZE) : 0;
	spin_unlock(&snap_lock);
	end = n;
	while (end && (text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	start = end;
	while (start && text[start - 1] != '\n')
		start--;
	strscpy(out, text + start, min(size, end - start + 1));
	kfree(text);
}

int hv_console_open(struct file *file)
{
	struct console_reader *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->gen = enable_gen;
	file->private_data = r;
	return 0;
}

int hv_console_release(struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * Fills out with what the reader has not seen yet. Returns the byte count,
 * 0 when nothing is new, -EAGAIN when there is no ring at all.
 * Called with hv_lock held.
 */
static ssize_t console_fetch(struct console_reader *r, char *out,
			     size_t size, struct hv_virt_console *buf)
{
	u32 tail, d;
	size_t n;

	if (hv_enabled) {
		if (!hv_console_permitted)
			return -EPERM;
		if (r->gen != enable_gen) {
			r->gen = enable_gen;
			r->head = 0;
		}
		if (!live_ring() || copy_ring(buf->content, live_ring(),
					      HV_CONSOLE_SIZE, 8, &tail))
			return 0;
	} else {
		spin_lock(&snap_lock);
		if (!snapshot || r->snap_seen == snapshot_gen) {
			spin_unlock(&snap_lock);
			r->head = 0;
			return -EAGAIN;
		}
		if (r->gen != snapshot_gen) {
			r->gen = snapshot_gen;
			r->head = 0;
		}
		memcpy(buf->content, snapshot->content, HV_CONSOLE_SIZE);
		tail = snapshot->tail;
		if (tail == r->head) {
			r->snap_seen = snapshot_gen;
			spin_unlock(&snap_lock);
			r->head = 0;
			return -EAGAIN;
		}
		spin_unlock(&snap_lock);
	}

	d = tail - r->head;
	if (d == 0)
		return 0;
	if (d > HV_CONSOLE_SIZE) {
		r->head = tail - HV_CONSOLE_SIZE;
		return scnprintf(out, size, "<missed %u bytes of console log>\n",
				 d - HV_CONSOLE_SIZE);
	}
	n = min_t(size_t, d, size);
	hv_console_ring_copy(out, buf->content, HV_CONSOLE_SIZE, r->head,
			     (u64)r->head + n);
	r->head += n;
	return n;
}

ssize_t hv_console_read(struct file *file, char __user *out, size_t size,
			loff_t *off)
{
	struct console_reader *r = file->private_data;
	struct hv_virt_console *buf;
	char *text;
	ssize_t ret;

	if (size == 0)
		return 0;
	size = min_t(size_t, size, HV_CONSOLE_SIZE);
	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	text = kmalloc(HV_CONSOLE_SIZE, GFP_KERNEL);
	if (!buf || !text) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		ret = mutex_lock_interruptible(&hv_lock);
		if (ret)
			goto out;
		ret = console_fetch(r, text, size, buf);
		mutex_unlock(&hv_lock);
		if (ret > 0 || ret == -EPERM)
			break;
		if (file->f_flags & O_NONBLOCK)
			break;	/* 0: nothing new; -EAGAIN: no hypervisor */
		if (wait_event_interruptible_timeout(console_wq, false,
						     POLL_INTERVAL) < 0 ||
		    signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
	}
	if (ret > 0 && copy_to_user(out, text, ret))
		ret = -EFAULT;
out:
	kfree(buf);
	kfree(text);
	return ret;
}

__poll_t hv_console_poll(struct file *file, struct poll_table_struct *wait)
{
	struct console_reader *r = file->private_data;
	struct hv_virt_console *ring;
	__poll_t mask = 0;

	poll_wait(file, &console_wq, wait);
	if (mutex_lock_interruptible(&hv_lock))
		return EPOLLERR;
	ring = live_ring();
	if (hv_enabled && ring) {
		if (!hv_console_permitted)
			mask = EPOLLERR;
		else if (r->gen != enable_gen ||
			 READ_ONCE(ring->tail) != r->head)
			mask = EPOLLIN | EPOLLRDNORM;
	} else {
		spin_lock(&snap_lock);
		if (snapshot && r->snap_seen != snapshot_gen)
			mask = EPOLLIN | EPOLLRDNORM;
		spin_unlock(&snap_lock);
	}
	mutex_unlock(&hv_lock);
	return mask;
}

int hv_console_init(void)
{
	timer_setup(&console_timer, console_timer_fn, 0);
	return 0;
}

void hv_console_exit(void)
{
	del_timer_sync(&console_timer);
	kfree(snapshot);
	snapshot = NULL;
}
