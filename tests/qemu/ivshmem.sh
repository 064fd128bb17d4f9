#!/bin/sh
# SPDX-License-Identifier: MIT
#
# ivshmem end to end: sourced by scenario.sh while the hypervisor is
# enabled (pass/fail/check/readf/do_enable/do_disable come from there).
# The root's virtual PCI host (hvdrv) lists the ivshmem devices of the
# system config (110a:4106); after disable none are left, and enable/
# disable cycles leave modules, /proc/iomem, /proc/interrupts and the page
# pool as they were.
#
# Files: /system.cell (two root ivshmem devices: 00:00.0 and 00:01.0 in
# PCI domain 1), /uio.ko, /uio_ivshmem.ko, /bin/ivshmem-rt,
# /cells/ivshmem-echo.cell, /inmates/ivshmem-echo.bin.

IVS_T0=$(date +%s)
PCIDEVS=/sys/bus/pci/devices
IVS_DOMAIN=0001

# ivs_devices: the ivshmem functions Linux lists, "DDDD:BB:DD.F" each line
ivs_devices() {
	for d in "$PCIDEVS"/*; do
		[ -e "$d/vendor" ] || continue
		[ "$(readf "$d/vendor")" = 0x110a ] &&
			[ "$(readf "$d/device")" = 0x4106 ] && basename "$d"
	done
}
# /proc/iomem whole, /proc/interrupts without its counts (Linux IRQ number
# and name: a leaked mapping would move the next one), module refcounts
ivs_iomem() { md5sum < /proc/iomem | cut -d' ' -f1; }
ivs_irqs() { awk '{ print $1, $NF }' /proc/interrupts | md5sum | cut -d' ' -f1; }
ivs_ours() { grep -ciE 'hvctl|ivshmem|uio' "$1"; }
ivs_mods() { cut -d' ' -f1,3 /proc/modules | tr '\n' ' '; }

echo "== ivshmem: the root's virtual PCI host"
devs=$(ivs_devices | tr '\n' ' ')
echo "ivshmem devices: $devs"
check "the root lists two ivshmem devices (110a:4106): $devs" \
	[ "$devs" = "$IVS_DOMAIN:00:00.0 $IVS_DOMAIN:00:01.0 " ]
ivs_dev=$PCIDEVS/$IVS_DOMAIN:00:01.0
check "00:01.0 has class ff0001 (VETH protocol)" \
	[ "$(readf "$ivs_dev/class")" = 0xff0001 ]
check "00:00.0 has class ff0000 (undefined protocol)" \
	[ "$(readf "$PCIDEVS/$IVS_DOMAIN:00:00.0/class")" = 0xff0000 ]
check "00:00.0 subsystem 110a:4106" \
	[ "$(readf "$PCIDEVS/$IVS_DOMAIN:00:00.0/subsystem_vendor")" = 0x110a ]
# BAR0: one 4 KiB memory BAR right after the ECAM window.
r=$(head -n 1 "$ivs_dev/resource" 2>/dev/null)
echo "00:01.0 BAR0: $r"
set -- $r
check "00:01.0 BAR0 is 4 KiB in the window after the ECAM ($1-$2)" \
	[ $(($2 - $1 + 1)) = 4096 -a $(($1 >> 20)) = $((0x901)) ]
grep -iE 'hvctl|vPCI' /proc/iomem
check "/proc/iomem shows the ECAM window and the BAR window" \
	sh -c 'grep -q "90000000-900fffff : hvctl vPCI ECAM" /proc/iomem &&
	       grep -q "90100000-90103fff : hvctl vPCI memory" /proc/iomem'
dmesg | grep 'virtual PCI host' | tail -n 1
check "no kernel oops or warning from the PCI host" \
	sh -c '! dmesg | grep -qE "Unable to handle kernel|Internal error|BUG:|WARNING:"'

echo "-- ivshmem: uio_ivshmem and the echo cell"
ivs_cell_id() {
	for c in "$SYSFS"/cells/*; do
		[ "$(readf "$c/name")" = "$1" ] && { basename "$c"; return; }
	done
}
ivs_start_echo() {
	hvctl cell create /cells/ivshmem-echo.cell >/dev/null &&
		hvctl cell load ivshmem-echo /inmates/ivshmem-echo.bin -a 0 >/dev/null &&
		hvctl cell start ivshmem-echo >/dev/null && ivs_cell_id ivshmem-echo
}
# Waits up to 5 s for the cell's state; prints what it read last.
ivs_wait_state() {
	w=0
	while [ $w -lt 5 ]; do
		st=$(readf "$SYSFS/cells/$1/state")
		[ "$st" = "$2" ] && break
		sleep 1
		w=$((w + 1))
	done
	echo "$st"
}
check "insmod uio.ko" insmod /uio.ko
check "insmod uio_ivshmem.ko" insmod /uio_ivshmem.ko
uio_dev=$PCIDEVS/$IVS_DOMAIN:00:00.0
check "uio_ivshmem bound 00:00.0 (class ff0000)" \
	[ "$(basename "$(readlink "$uio_dev/driver" 2>/dev/null)")" = uio_ivshmem ]
check "00:01.0 (class ff0001) is not uio_ivshmem's" \
	[ "$(basename "$(readlink "$PCIDEVS/$IVS_DOMAIN:00:01.0/driver" 2>/dev/null)")" != uio_ivshmem ]
irq=$(readf "$uio_dev/irq")
check "00:00.0 has its INTx interrupt (${irq:-none})" [ "${irq:-0}" -gt 0 ]
grep -E "^ *$irq:" /proc/interrupts
check "INTx pin A is GIC SPI 96, edge (INTID 128)" \
	sh -c "grep -E '^ *$irq:' /proc/interrupts | grep -q ' 128 Edge'"
for m in 0 1 2 3 4; do
	echo "map$m: $(readf /sys/class/uio/uio0/maps/map$m/name) $(readf /sys/class/uio/uio0/maps/map$m/addr) $(readf /sys/class/uio/uio0/maps/map$m/size)"
done
check "five UIO maps: registers, state table, rw, inputs, own output" \
	[ "$(readf /sys/class/uio/uio0/maps/map4/name)" = output_section ]
check "the output map is peer 0's section at 0x7fafa000" \
	[ "$(readf /sys/class/uio/uio0/maps/map4/addr)" = 0x000000007fafa000 ]

echo_id=$(ivs_start_echo)
check "ivshmem-echo cell created and started (id ${echo_id:-none})" [ -n "$echo_id" ]
sleep 1
readf "$SYSFS/cells/$echo_id/console" | head -n 3
on_cpu 0 ivshmem-rt rt 1000 "$echo_id"
check "1000 UIO round trips through ivshmem-echo, every reply correct" [ $? = 0 ]
ivshmem-rt cmd ring-absent
check "doorbells to absent peers are ignored: the echo cell answers after them" [ $? = 0 ]
check "the echo cell still runs after ringing absent peers" \
	[ "$(readf "$SYSFS/cells/$echo_id/state")" = running ]

echo "-- ivshmem: isolation"
ivshmem-rt cmd write-peer
r=$?
check "no answer after writing the root's output section ($r)" [ $r = 3 ]
st=$(ivs_wait_state "$echo_id" failed)
check "the cell that wrote the root's output section failed ($st)" [ "$st" = failed ]
readf "$SYSFS/cells/$echo_id/console" | tail -n 2
dmesg | tail -n 20 | grep -iE 'data abort|Unhandled|write of' | tail -n 1
check "its state-table entry reads 0 for the root" \
	[ "$(ivshmem-rt word 1 4)" = 0x00000000 ]
check "the root keeps running" [ "$(readf $SYSFS/cells/0/state)" = running ]
check "the root's output section kept its request (the write went nowhere)" \
	[ "$(ivshmem-rt word 4 0)" = 0x4f484345 ]
check "hvctl cell destroy ivshmem-echo (failed)" hvctl cell destroy ivshmem-echo
echo_id=$(ivs_start_echo)
check "ivshmem-echo started again (id ${echo_id:-none})" [ -n "$echo_id" ]
on_cpu 0 ivshmem-rt rt 10 "$echo_id" >/dev/null
check "it answers again after the restart" [ $? = 0 ]
ivshmem-rt cmd write-state
r=$?
check "no answer after writing the state table ($r)" [ $r = 3 ]
st=$(ivs_wait_state "$echo_id" failed)
check "the cell that wrote the state table failed ($st)" [ "$st" = failed ]
check "the root keeps running after the state-table write" \
	[ "$(readf $SYSFS/cells/0/state)" = running ]
check "hvctl cell destroy ivshmem-echo (failed again)" hvctl cell destroy ivshmem-echo
check "no kernel oops from the ivshmem scenarios" \
	sh -c '! dmesg | grep -qE "Unable to handle kernel|Internal error|BUG:|WARNING:"'

echo "-- ivshmem: disable removes the bus"
do_disable
check "disable with the PCI host" [ $? = 0 ]
devs=$(ivs_devices | tr '\n' ' ')
check "no ivshmem device after disable (${devs:-none})" [ -z "$devs" ]
check "no domain $IVS_DOMAIN device left" \
	sh -c "! ls $PCIDEVS | grep -q '^$IVS_DOMAIN:'"
iomem0=$(ivs_iomem) irqs0=$(ivs_irqs) mods0=$(ivs_mods)
n=$(ivs_ours /proc/iomem)
check "/proc/iomem has no hvctl range after disable ($n)" [ "$n" = 0 ]
n=$(ivs_ours /proc/interrupts)
check "/proc/interrupts has no ivshmem line after disable ($n)" [ "$n" = 0 ]
echo "modules before the cycles: $mods0"

echo "-- ivshmem: three enable/disable cycles"
good=0
pool1=
on1=
for i in 1 2 3; do
	ok=1
	do_enable || ok=0
	# Enabled, with uio_ivshmem bound: the same claims and IRQs each time.
	on="$(ivs_iomem) $(ivs_irqs) $(readf "$uio_dev/irq")"
	[ -z "$on1" ] && on1=$on
	[ "$on" = "$on1" ] || { ok=0; echo "cycle $i: iomem, interrupts, irq $on1 -> $on"; }
	n=$(ivs_devices | wc -l)
	[ "$n" = 2 ] || { ok=0; echo "cycle $i: $n ivshmem devices"; }
	[ -c /dev/uio0 ] || { ok=0; echo "cycle $i: uio_ivshmem did not bind"; }
	p=$(readf $SYSFS/mem_pool_used)
	[ -z "$pool1" ] && pool1=$p
	[ "$p" = "$pool1" ] || { ok=0; echo "cycle $i: page pool $pool1 -> $p"; }
	do_disable || ok=0
	[ -z "$(ivs_devices)" ] || { ok=0; echo "cycle $i: devices left"; }
	[ ! -e /dev/uio0 ] || { ok=0; echo "cycle $i: /dev/uio0 left"; }
	[ $ok = 1 ] && good=$((good + 1))
done
check "$good of 3 enable/disable cycles list and remove the devices (uio_ivshmem bound each time, same claims and IRQs)" [ $good = 3 ]
check "page pool the same at every enable ($pool1 -> $p)" [ "$p" = "$pool1" ]
echo "enabled: iomem, interrupts (md5) and uio_ivshmem's IRQ at each cycle: $on1"
check "/proc/iomem as before the cycles" [ "$(ivs_iomem)" = "$iomem0" ]
check "/proc/interrupts (IRQs and names) as before the cycles" \
	[ "$(ivs_irqs)" = "$irqs0" ]
check "module reference counts as before the cycles" \
	[ "$(ivs_mods)" = "$mods0" ]
check "rmmod uio_ivshmem" rmmod uio_ivshmem
check "rmmod uio" rmmod uio
do_enable
check "enabled again after the ivshmem cycles" [ "$(readf $SYSFS/enabled)" = 1 ]
echo "FIGURE: ivshmem scenarios took $(($(date +%s) - IVS_T0)) s"
