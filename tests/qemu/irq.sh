#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Cells own their interrupts: sourced by scenario.sh while the hypervisor
# is enabled (pass/fail/check/readf/online_list/on_cpu/irq_count come from
# there). Runs the inmate demos (inmates/demos) in cells of the QEMU board
# and prints each figure as "FIGURE: ...".
#
# Files: /inmates/<demo>.bin, /cells/<demo>.cell, /gicpoke.ko.

IRQ_T0=$(date +%s)
GICD=0x08000000
GICR=0x080a0000
RTC_DEV=9010000.pl031
RTC_DRV=/sys/bus/amba/drivers/rtc-pl031

cell_id() {
	for d in "$SYSFS"/cells/*; do
		[ "$(readf "$d/name")" = "$1" ] && { basename "$d"; return; }
	done
}
cstat() { readf "$SYSFS/cells/$1/statistics/$2"; }
ccon() { readf "$SYSFS/cells/$1/console"; }
# start NAME: create, load and start a demo cell; prints its id
start_cell() {
	hvctl cell create "/cells/$1.cell" >/dev/null &&
		hvctl cell load "$1" "/inmates/$1.bin" -a 0 >/dev/null &&
		hvctl cell start "$1" >/dev/null && cell_id "$1"
}
# poke ARGS...: one gicpoke operation, prints its kernel-log value
poke() {
	insmod /gicpoke.ko "$@" 2>/dev/null && rmmod gicpoke
	dmesg | grep "gicpoke:" | tail -n 1 | sed 's/.*gicpoke: //'
}
# Last "tick N:" count on the cell's console
last_tick() { ccon "$1" | grep -E '^tick [0-9]+:' | tail -n 1 | cut -d' ' -f2 | tr -d :; }
# irq_all PATTERN: the matching interrupts of /proc/interrupts, all CPUs
irq_all() {
	awk -v pat="$1" '$0 ~ pat { for (i = 2; i <= 5; i++) s += $i } END { print s + 0 }' \
		/proc/interrupts
}
# Hundredths of a second since boot
irq_centis() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
# ratio A B: A/B with two decimals
ratio() { [ "${2:-0}" -gt 0 ] && printf '%d.%02d' $(($1 / $2)) $(($1 * 100 / $2 % 100)) || echo inf; }

echo "== interrupts owned by cells"
# The root's virtio device (qemu-run.sh's virtio-rng), bound before the
# cells so that the check after them sees the same device go on working.
if [ -f /virtio-rng.ko ]; then
	insmod /virtio_mmio.ko 2>/dev/null
	insmod /virtio-rng.ko 2>/dev/null
	dd if=/dev/hwrng of=/dev/null bs=64 count=1 2>/dev/null
	check "the root's virtio-rng interrupts ($(irq_all virtio) so far)" \
		[ "$(irq_all virtio)" -gt 0 ]
fi
pool0=$(readf $SYSFS/mem_pool_used)
online0=$(online_list)

if [ -e "$RTC_DRV/$RTC_DEV" ]; then
	echo "$RTC_DEV" > "$RTC_DRV/unbind"
fi
check "root unbound rtc-pl031 from the PL031" [ ! -e "$RTC_DRV/$RTC_DEV" ]

own=$(start_cell irq-owner)
check "irq-owner cell created and started (id ${own:-none})" [ -n "$own" ]
tick=$(start_cell tick)
check "tick cell created and started (id ${tick:-none})" [ -n "$tick" ]
check "CPUs 2 and 3 left Linux" [ "$(online_list)" = "0-1" ]

# Root activity while tick runs: timer and IPIs on CPUs 0-1.
ta=$(irq_count arch_timer 0) tb=$(irq_count arch_timer 1)
ia=$(($(irq_count '^ *IPI' 0) + $(irq_count '^ *IPI' 1)))
sleep 3

echo "-- isolation"
# The cell's redistributor (CPU 3's frame): nothing to see or change.
r=$(poke op=r32 addr=$((GICR + 3 * 0x20000 + 0x10100)))
check "root reads CPU 3's GICR_ISENABLER0 as 0 while tick runs ($r)" \
	[ "${r##* }" = 0x0 ]
poke op=w32 addr=$((GICR + 3 * 0x20000 + 0x10180)) val=$((1 << 27)) >/dev/null
# INTID 34 belongs to irq-owner: the root's ICENABLER1 write is ignored.
c0=$(ccon "$own" | grep -c 'count')
n0=$(ccon "$own" | grep 'count' | tail -n 1 | sed 's/.*count \([0-9]*\).*/\1/')
poke op=w32 addr=$((GICD + 0x184)) val=$((1 << 2)) >/dev/null
r=$(poke op=r32 addr=$((GICD + 0x104)))
check "root sees INTID 34 as not its own in GICD_ISENABLER1 ($r)" \
	[ $(( ${r##* } & 4 )) = 0 ]
# An SGI from the root at CPU 3 (SGI 5, Aff0 3): only root CPUs get SGIs.
poke op=sgi val=$(((5 << 24) | (1 << 3))) >/dev/null
t0=$(last_tick "$tick")
sleep 4
n1=$(ccon "$own" | grep 'count' | tail -n 1 | sed 's/.*count \([0-9]*\).*/\1/')
check "irq-owner keeps receiving INTID 34 after the root's ICENABLER ($n0 -> $n1)" \
	[ "${n1:-0}" -gt "${n0:-0}" ]
t1=$(last_tick "$tick")
check "tick keeps ticking after the root's GICR write ($t0 -> $t1)" \
	[ "${t1:-0}" -gt "${t0:-0}" ]
ccon "$tick" | grep -q 'other irqs' &&
	fail "an SGI of the root reached tick" ||
	pass "no SGI of the root reached tick (no 'other irqs')"
dmesg | grep -q "Unexpected interrupt" &&
	fail "root saw an unexpected interrupt" || pass "root saw no unexpected interrupt"

tb2=$(irq_count arch_timer 1)
ib=$(($(irq_count '^ *IPI' 0) + $(irq_count '^ *IPI' 1)))
check "root timer interrupts arrive on CPUs 0/1 during the cells ($ta/$tb -> $(irq_count arch_timer 0)/$tb2)" \
	[ "$(irq_count arch_timer 0)" -gt "$ta" -a "$tb2" -gt "$tb" ]
check "root IPIs arrive during the cells ($ia -> $ib)" [ "$ib" -gt "$ia" ]
echo 0 > /sys/devices/system/cpu/cpu1/online
check "CPU 1 offline while cells run" [ "$(online_list)" = 0 ]
echo 1 > /sys/devices/system/cpu/cpu1/online
check "CPU 1 online again" [ "$(online_list)" = "0-1" ]

echo "-- a cell's CPU cannot come back online in Linux"
t0=$(last_tick "$tick")
err=$(sh -c 'echo 1 > /sys/devices/system/cpu/cpu3/online' 2>&1)
rc=$?
echo "echo 1 > cpu3/online while tick owns CPU 3: rc $rc: $err"
dmesg | grep "hvdrv: CPU 3 belongs to cell" | tail -n 1
check "onlining CPU 3 while tick owns it fails with EBUSY" \
	sh -c "[ $rc != 0 ] && echo '$err' | grep -q 'busy'"
check "the kernel log says CPU 3 belongs to cell $tick" \
	sh -c "dmesg | grep -q 'hvdrv: CPU 3 belongs to cell $tick: it stays offline'"
check "CPU 3 stayed out of Linux" [ "$(online_list)" = "0-1" ]
sleep 1
t1=$(last_tick "$tick")
check "tick keeps running after the refused online ($t0 -> $t1)" \
	[ "${t1:-0}" -gt "${t0:-0}" ]

echo "-- tick for 10 s"
sleep 3
hvctl cell stop tick >/dev/null
check "tick stopped" [ "$(readf $SYSFS/cells/$tick/state)" = "shut down" ]
v=$(cstat "$tick" vmexits_virt_irq)
tot=$(cstat "$tick" vmexits_total)
m=$(cstat "$tick" vmexits_maintenance)
h=$(cstat "$tick" vmexits_hypercall)
n=$(devmem 0x7f01f000 32)
n=$((n))
lines=$(ccon "$tick" | grep -cE '^tick [0-9]+: [0-9]+/[0-9]+/[0-9]+ ns')
ccon "$tick" | tail -n 4
echo "FIGURE: tick: $n ticks in $lines per-second lines; vmexits_virt_irq $v, total $tot, hypercall $h, maintenance $m"
echo "FIGURE: tick latency (last line, min/avg/max ns, TCG): $(ccon "$tick" | grep -E '^tick [0-9]+:' | tail -n 1 | cut -d' ' -f3)"
echo "FIGURE: tick exits per interrupt: $(ratio "$tot" "$n") (all exits), $(ratio $((tot - h)) "$n") (without console hypercalls), $(ratio "$v" "$n") (interrupt exits); maintenance exits per tick: $(ratio $((m * 100)) "$n") %"
check "tick printed at least 8 per-second lines ($lines)" [ "$lines" -ge 8 ]
d=$((v - n))
[ $d -lt 0 ] && d=$((-d))
check "tick's vmexits_virt_irq matches its ticks within 5 % ($v vs $n)" \
	[ "$n" -gt 0 -a $((d * 100)) -le $((n * 5)) ]
check "maintenance exits under 1 % of ticks ($m of $n)" [ $((m * 100)) -lt "$n" ]
# Its console costs a hypercall per character (about 30 a second): the
# interrupt path itself is judged without them. Under TCG the inmate gets
# far fewer than 1000 ticks a second, so the console's share is larger.
check "exits per interrupt besides console hypercalls at most 1.05 ($((tot - h)) / $n)" \
	[ $(((tot - h) * 100)) -le $((n * 105)) ]

hvctl cell destroy tick >/dev/null
hvctl cell destroy irq-owner >/dev/null
check "tick and irq-owner destroyed, CPUs back" [ "$(online_list)" = "$online0" ]
echo "$RTC_DEV" > "$RTC_DRV/bind" 2>/dev/null
check "rtc-pl031 bound again" [ -e "$RTC_DRV/$RTC_DEV" ]

echo "-- smp: SGIs inside a two-CPU cell"
smp=$(start_cell smp)
check "smp cell started (id ${smp:-none})" [ -n "$smp" ]
sleep 3
line=$(ccon "$smp" | grep '^smp: CPU0 got' | tail -n 1)
echo "$line"
g0=$(echo "$line" | sed 's/.*CPU0 got \([0-9]*\).*/\1/')
g1=$(echo "$line" | sed 's/.*CPU1 got \([0-9]*\).*/\1/')
check "smp CPU 0 received SGIs from CPU 1 (${g0:-0})" [ "${g0:-0}" -gt 0 ]
check "smp CPU 1 received SGIs from CPU 0 (${g1:-0})" [ "${g1:-0}" -gt 0 ]
echo "FIGURE: smp: $line"
hvctl cell destroy smp >/dev/null
dmesg | grep -q "Unexpected interrupt" &&
	fail "smp's SGI 7 at CPU 0 reached the root" ||
	pass "smp's SGIs never reached root CPUs (no unexpected interrupt)"

echo "-- crash beside tick"
tick=$(start_cell tick)
crash=$(start_cell crash)
check "crash and tick cells started" [ -n "$crash" -a -n "$tick" ]
i=0
while [ $i -lt 15 ] && [ "$(readf $SYSFS/cells/$crash/state)" != failed ]; do
	sleep 1
	i=$((i + 1))
done
check "crash became failed" [ "$(readf $SYSFS/cells/$crash/state)" = failed ]
readf $SYSFS/console | grep -E "CPU 1:.*(write|read).*ESR" | tail -n 1 > /tmp/crashline
cat /tmp/crashline
check "the hypervisor console names the CPU, ESR and address of the fault" \
	grep -q "IPA 0x40000000" /tmp/crashline
t0=$(last_tick "$tick")
sleep 2
t1=$(last_tick "$tick")
check "tick keeps running beside the failed cell ($t0 -> $t1)" \
	[ "${t1:-0}" -gt "${t0:-0}" ]
hvctl cell destroy crash >/dev/null
hvctl cell destroy tick >/dev/null
check "destroying crash and tick returned CPUs 1 and 3" \
	[ "$(online_list)" = "$online0" ]
check "the root's timer still arrives on CPU 1 after crash" sh -c \
	"a=\$(awk '/arch_timer/ {print \$3}' /proc/interrupts); sleep 1; b=\$(awk '/arch_timer/ {print \$3}' /proc/interrupts); [ \$b -gt \$a ]"

echo "-- a cell that refuses shutdown (refuse beside tick)"
# refuse denies two shutdown requests and leaves the third unanswered.
alive() { ccon "$1" | grep -E '^refuse: alive [0-9]+' | tail -n 1 | cut -d' ' -f3; }
tick=$(start_cell tick)
ref=$(start_cell refuse)
check "refuse and tick cells started (ids ${ref:-none}, ${tick:-none})" \
	[ -n "$ref" -a -n "$tick" ]
sleep 1
hvctl cell destroy refuse > /tmp/ref.out 2>&1
rc=$?
cat /tmp/ref.out
check "destroying refuse fails, naming it (rc $rc)" \
	sh -c "[ $rc != 0 ] && grep -q \"cell 'refuse' refused shutdown\" /tmp/ref.out"
dmesg | grep "refused shutdown" | tail -n 1
check "the driver's log names the refusing cell" sh -c \
	"dmesg | grep -q \"hvdrv: cell destroy \\\"refuse\\\": cell 'refuse' refused shutdown\""
readf $SYSFS/console | grep "refused shutdown" | tail -n 1
check "the hypervisor console names the refusing cell" sh -c \
	"cat $SYSFS/console | grep -q \"Cell 'refuse' refused shutdown\""
check "refuse still running after its refusal" \
	[ "$(readf $SYSFS/cells/$ref/state)" = running ]
check "CPUs 2 and 3 still the cells'" [ "$(online_list)" = "0-1" ]
# Other requests meanwhile: a cell comes and goes beside them.
check "another cell can be created and destroyed meanwhile" sh -c \
	"hvctl cell create /cells/crash.cell >/dev/null && hvctl cell destroy crash >/dev/null"
hvctl cell stop refuse > /tmp/ref.out 2>&1
rc=$?
check "stopping refuse fails the same way (rc $rc)" \
	sh -c "[ $rc != 0 ] && grep -q \"cell 'refuse' refused shutdown\" /tmp/ref.out"
a0=$(alive "$ref") t0=$(last_tick "$tick") r0=$(irq_count arch_timer 0)
sleep 2
a1=$(alive "$ref") t1=$(last_tick "$tick") r1=$(irq_count arch_timer 0)
ccon "$ref" | grep -E "^refuse: denied"
check "refuse runs on after two refusals (alive $a0 -> $a1)" \
	[ "${a1:-0}" -gt "${a0:-0}" ]
check "tick runs on beside it ($t0 -> $t1)" [ "${t1:-0}" -gt "${t0:-0}" ]
check "the root's timer runs on ($r0 -> $r1)" [ "$r1" -gt "$r0" ]
# The third request gets no answer: the hypervisor waits the config's
# msg_reply_timeout (1 s), stops the cell, and the destroy goes through.
c0=$(irq_centis)
hvctl cell destroy refuse > /tmp/ref.out 2>&1
rc=$?
c1=$(irq_centis)
readf $SYSFS/console | grep "did not answer" | tail -n 1
echo "FIGURE: destroy of a cell that never answers took $(((c1 - c0) * 10)) ms (msg_reply_timeout 1 s)"
check "destroying the silent refuse succeeds after the wait (rc $rc, $(((c1 - c0) * 10)) ms)" \
	[ $rc = 0 -a $((c1 - c0)) -ge 95 ]
check "the hypervisor console says refuse did not answer" sh -c \
	"cat $SYSFS/console | grep -q 'Cell \"refuse\" did not answer in time'"
t0=$(last_tick "$tick")
sleep 1
t1=$(last_tick "$tick")
check "tick runs on after refuse was stopped ($t0 -> $t1)" [ "${t1:-0}" -gt "${t0:-0}" ]
hvctl cell destroy tick >/dev/null
check "CPUs back in the root after refuse and tick" [ "$(online_list)" = "$online0" ]

echo "-- PSCI of a cell: SYSTEM_RESET and SYSTEM_OFF restart or end it alone"
tick=$(start_cell tick)
i=0
while [ $i -lt 20 ] && [ -z "$(last_tick "$tick")" ]; do
	sleep 0.5
	i=$((i + 1))
done
t0=$(last_tick "$tick") r0=$(irq_count arch_timer 0)
ps=$(start_cell psci)
check "psci and tick cells started (ids ${ps:-none}, ${tick:-none})" \
	[ -n "$ps" -a -n "$tick" ]
i=0
while [ $i -lt 20 ] && [ "$(readf $SYSFS/cells/$ps/state)" != "shut down" ]; do
	sleep 1
	i=$((i + 1))
done
ccon "$ps" | grep '^psci:'
readf $SYSFS/console | grep -E 'Cell "psci" (reset itself|powered itself off)'
check "psci's calls answered as a cell's (PSCI 1.1; SYSTEM_RESET supported; suspend, migration and CPU_ON outside the cell refused)" \
	sh -c "cat $SYSFS/cells/$ps/console | grep -q 'psci: version 0x10001, features SYSTEM_RESET 0 CPU_SUSPEND -1, affinity_info(self) 0, cpu_suspend -1, migrate_info_type -1, cpu_on(CPU 0) -2'"
check "SYSTEM_RESET restarted psci at its entry (boot 2)" \
	sh -c "cat $SYSFS/cells/$ps/console | grep -q '^psci: boot 2 on CPU'"
check "SYSTEM_RESET and SYSTEM_OFF did not return" \
	sh -c "! cat $SYSFS/cells/$ps/console | grep -q 'returned'"
check "the hypervisor console says psci reset itself" \
	sh -c "cat $SYSFS/console | grep -q 'Cell \"psci\" reset itself (PSCI SYSTEM_RESET on CPU 2)'"
check "SYSTEM_OFF left psci shut down ($(readf $SYSFS/cells/$ps/state))" \
	[ "$(readf $SYSFS/cells/$ps/state)" = "shut down" ]
# tick prints once a second: give it time for a line after psci ended.
sleep 2
t1=$(last_tick "$tick") r1=$(irq_count arch_timer 0)
check "tick ran on through psci's reset and power-off ($t0 -> $t1)" \
	[ "${t1:-0}" -gt "${t0:-0}" ]
check "the root's timer ran on ($r0 -> $r1)" [ "$r1" -gt "$r0" ]
hvctl cell destroy psci >/dev/null
hvctl cell destroy tick >/dev/null
check "CPUs back in the root after psci and tick" [ "$(online_list)" = "$online0" ]

echo "-- 20 tick cycles"
C0=$(date +%s)
ok=0
i=1
while [ $i -le 20 ]; do
	id=$(start_cell tick) && hvctl cell destroy tick >/dev/null && ok=$((ok + 1))
	i=$((i + 1))
done
check "20 create/load/start/destroy cycles of tick ($ok ok, $(($(date +%s) - C0)) s)" [ $ok = 20 ]
check "page pool as before the cells ($pool0 -> $(readf $SYSFS/mem_pool_used))" \
	[ "$(readf $SYSFS/mem_pool_used)" = "$pool0" ]
check "root CPU set as before ($online0)" [ "$(online_list)" = "$online0" ]
# The root's devices after the cycles. QEMU's PL011 sends at once (its
# FIFO never fills), so Linux takes UART interrupts only for input: the
# marker line asks scripts/qemu-run.sh to type a few bytes. The virtio
# device is the virtio-rng qemu-run.sh adds; reading /dev/hwrng makes it
# interrupt.
u0=$(irq_all uart-pl011)
echo "hvctl-qemu: send UART input"
i=0
while [ $i -lt 20 ] && [ "$(irq_all uart-pl011)" -le "$u0" ]; do
	sleep 0.5
	i=$((i + 1))
done
echo
u1=$(irq_all uart-pl011)
echo "FIGURE: root UART (uart-pl011) interrupts after the 20 cycles: $u0 -> $u1"
check "root UART interrupts still arrive after the cycles ($u0 -> $u1)" \
	[ "$u1" -gt "$u0" ]
if [ -f /virtio-rng.ko ]; then
	v0=$(irq_all virtio)
	dd if=/dev/hwrng of=/dev/null bs=64 count=4 2>/dev/null
	v1=$(irq_all virtio)
	echo "FIGURE: root virtio (virtio-rng) interrupts after the 20 cycles: $v0 -> $v1"
	check "root virtio interrupts still arrive after the cycles ($v0 -> $v1)" \
		[ "$v1" -gt "$v0" ]
else
	fail "no /virtio-rng.ko in the initramfs: virtio interrupts not checked"
fi
t0=$(irq_all arch_timer)
sleep 1
echo "FIGURE: root timer interrupts after the 20 cycles: $t0 -> $(irq_all arch_timer) in 1 s"
check "root timer interrupts still arrive after the cycles" \
	[ "$(irq_all arch_timer)" -gt "$t0" ]

echo "$RTC_DEV" > "$RTC_DRV/unbind"
own=$(start_cell irq-owner)
sleep 3
n1=$(ccon "$own" | grep 'count' | tail -n 1 | sed 's/.*count \([0-9]*\).*/\1/')
check "a fresh irq-owner still gets INTID 34 (count ${n1:-0})" [ "${n1:-0}" -gt 0 ]
hvctl cell destroy irq-owner >/dev/null
echo "$RTC_DEV" > "$RTC_DRV/bind"
check "rtc-pl031 bound again after the last cell" [ -e "$RTC_DRV/$RTC_DEV" ]
check "root's rtc-pl031 works again (since_epoch $(cat /sys/bus/amba/devices/$RTC_DEV/rtc/rtc*/since_epoch 2>/dev/null))" \
	sh -c "cat /sys/bus/amba/devices/$RTC_DEV/rtc/rtc*/since_epoch >/dev/null"
check "root's rtc-pl031 has its interrupt again" grep -q "rtc-pl031" /proc/interrupts
echo "FIGURE: interrupt scenarios took $(($(date +%s) - IRQ_T0)) s"
