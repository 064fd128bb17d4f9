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
# PCI domain 1).

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
# Lines of /proc/iomem and /proc/interrupts that are ours, module refcounts
ivs_iomem() { grep -ciE 'hvctl|ivshmem|uio' /proc/iomem; }
ivs_irqs() { grep -ciE 'hvctl|ivshmem|uio' /proc/interrupts; }
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

echo "-- ivshmem: disable removes the bus"
do_disable
check "disable with the PCI host" [ $? = 0 ]
devs=$(ivs_devices | tr '\n' ' ')
check "no ivshmem device after disable (${devs:-none})" [ -z "$devs" ]
check "no domain $IVS_DOMAIN device left" \
	sh -c "! ls $PCIDEVS | grep -q '^$IVS_DOMAIN:'"
iomem0=$(ivs_iomem) irqs0=$(ivs_irqs) mods0=$(ivs_mods)
check "/proc/iomem has no hvctl range after disable ($iomem0)" [ "$iomem0" = 0 ]
echo "modules before the cycles: $mods0"

echo "-- ivshmem: three enable/disable cycles"
good=0
pool1=
for i in 1 2 3; do
	ok=1
	do_enable || ok=0
	n=$(ivs_devices | wc -l)
	[ "$n" = 2 ] || { ok=0; echo "cycle $i: $n ivshmem devices"; }
	p=$(readf $SYSFS/mem_pool_used)
	[ -z "$pool1" ] && pool1=$p
	[ "$p" = "$pool1" ] || { ok=0; echo "cycle $i: page pool $pool1 -> $p"; }
	do_disable || ok=0
	[ -z "$(ivs_devices)" ] || { ok=0; echo "cycle $i: devices left"; }
	[ $ok = 1 ] && good=$((good + 1))
done
check "$good of 3 enable/disable cycles list and remove the devices" [ $good = 3 ]
check "page pool the same at every enable ($pool1 -> $p)" [ "$p" = "$pool1" ]
check "/proc/iomem as before the cycles ($iomem0 -> $(ivs_iomem))" \
	[ "$(ivs_iomem)" = "$iomem0" ]
check "/proc/interrupts as before the cycles ($irqs0 -> $(ivs_irqs))" \
	[ "$(ivs_irqs)" = "$irqs0" ]
check "module reference counts as before the cycles" \
	[ "$(ivs_mods)" = "$mods0" ]
do_enable
check "enabled again after the ivshmem cycles" [ "$(readf $SYSFS/enabled)" = 1 ]
echo "FIGURE: ivshmem scenarios took $(($(date +%s) - IVS_T0)) s"
