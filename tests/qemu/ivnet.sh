#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The virtual Ethernet between the root and the net-echo inmate
# (doc/ivshmem-net.md): sourced by scenario.sh while the hypervisor is
# enabled (pass/fail/check/readf/do_enable/do_disable come from there).
# Loads ivshmem_net.ko, pings net-echo, destroys it (the carrier must drop), starts it again
# (the carrier must come back, pings must get through), takes the root's
# interface down and up, disables and enables the hypervisor under the
# bound driver, and prints the figures as "FIGURE: ...".
#
# Files: /ivshmem_net.ko, /inmates/net-echo.bin, /cells/net-echo.cell.

NET_IP=192.168.19.2
ROOT_IP=192.168.19.1

ivnet_cell_id() {
	for d in "$SYSFS"/cells/*; do
		[ "$(readf "$d/name")" = "$1" ] && { basename "$d"; return; }
	done
}
ivnet_start() {
	hvctl cell create /cells/net-echo.cell >/dev/null &&
		hvctl cell load net-echo /inmates/net-echo.bin -a 0 >/dev/null &&
		hvctl cell start net-echo >/dev/null
}
# The root's ivshmem device of class ff0001 (ivshmem-net), if listed.
ivnet_pci_dev() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(readf "$d/vendor")" = 0x110a ] &&
			[ "$(readf "$d/device")" = 0x4106 ] &&
			[ "$(readf "$d/class")" = 0xff0001 ] &&
			{ echo "$d"; return; }
	done
}
carrier() { readf "/sys/class/net/$IF/carrier"; }
# wait_carrier VALUE: up to 15 s; prints about how many ms it took.
wait_carrier() {
	n=0
	while [ "$(carrier)" != "$1" ] && [ $n -lt 150 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	echo $((n * 100))
}
# ping_net LABEL: 20 pings, 0.2 s apart (1 s where busybox takes no
# fractions); passes on no loss.
ping_net() {
	ping -c 20 -i 0.2 -W 2 $NET_IP > /tmp/ping.out 2>&1
	grep -q "packets transmitted" /tmp/ping.out ||
		ping -c 20 -W 2 $NET_IP > /tmp/ping.out 2>&1
	cat /tmp/ping.out | tail -n 2
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.out)
	got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.out)
	rtt=$(sed -n 's/^round-trip min\/avg\/max = //p' /tmp/ping.out)
	echo "FIGURE: ivshmem-net ping $1: ${got:-0}/${sent:-0} replies, round trip min/avg/max ${rtt:-none}"
	check "ivshmem-net ping $1: 20 sent, 20 answered, 0% loss" \
		sh -c "[ '${sent:-0}' = 20 ] && [ '${got:-0}' = 20 ] && grep -q ' 0% packet loss' /tmp/ping.out"
}

echo "== ivshmem-net (virtual Ethernet to net-echo)"
IVNET_DEV=$(ivnet_pci_dev)
check "the root lists the ivshmem-net device (${IVNET_DEV:-none})" [ -n "$IVNET_DEV" ]
if [ -n "$IVNET_DEV" ] && insmod /ivshmem_net.ko; then
	pass "insmod ivshmem_net.ko"
	IF=$(ls "$IVNET_DEV/net" 2>/dev/null | head -n 1)
	check "ivshmem_net bound $(basename "$IVNET_DEV") as ${IF:-nothing}" [ -n "$IF" ]
	dmesg | grep "ivshmem-net peer" | tail -n 1
	ip addr add $ROOT_IP/24 dev "$IF"
	ip link set "$IF" up
	check "no carrier while net-echo is missing" [ "$(carrier)" = 0 ]

	ivnet_start
	nid=$(ivnet_cell_id net-echo)
	check "net-echo created and started (id ${nid:-none})" [ -n "$nid" ]
	ms=$(wait_carrier 1)
	check "carrier on once net-echo runs (after $ms ms)" [ "$(carrier)" = 1 ]
	echo "FIGURE: ivshmem-net link up $ms ms after start"
	ping_net "first"
	readf "$SYSFS/cells/$nid/console" | grep "^net-echo" | tail -n 3

	hvctl cell destroy net-echo >/dev/null
	check "net-echo destroyed" [ -z "$(ivnet_cell_id net-echo)" ]
	ms=$(wait_carrier 0)
	check "carrier off after net-echo was destroyed (after $ms ms)" [ "$(carrier)" = 0 ]
	op=$(readf "/sys/class/net/$IF/operstate")
	check "operstate of $IF is down ($op)" [ "$op" = down ]
	echo "FIGURE: ivshmem-net link down $ms ms after destroy, operstate $op"
	check "no ping answer while net-echo is gone" \
		sh -c "! ping -c 1 -W 1 $NET_IP >/dev/null 2>&1"

	ivnet_start
	nid=$(ivnet_cell_id net-echo)
	check "net-echo created and started again (id ${nid:-none})" [ -n "$nid" ]
	ms=$(wait_carrier 1)
	check "carrier on again once net-echo runs (after $ms ms)" [ "$(carrier)" = 1 ]
	op=$(readf "/sys/class/net/$IF/operstate")
	check "operstate of $IF is up ($op)" [ "$op" = up ]
	echo "FIGURE: ivshmem-net link up again $ms ms after start"
	# The ping while net-echo was gone left its neighbour entry waiting
	# for an ARP retry (up to 1 s) with that request queued: start over.
	ip neigh flush dev "$IF"
	ping_net "after restart"
	# net-echo's own count, printed every 5 s while frames flow.
	n=0
	while :; do
		rep=$(readf "$SYSFS/cells/$nid/console" | grep "^net-echo: rx" | tail -n 1)
		c=$(echo "$rep" | sed -n 's/.*ICMP echo replies \([0-9]*\),.*/\1/p')
		[ "${c:-0}" = 20 ] || [ $n -ge 120 ] && break
		sleep 0.1
		n=$((n + 1))
	done
	echo "FIGURE: ${rep:-net-echo printed no report}"
	check "net-echo answered the 20 echo requests (${c:-0}), no malformed frame, no bad ring entry" \
		sh -c "[ '${c:-0}' = 20 ] && echo '$rep' | grep -q 'malformed 0, no room 0, bad ring entries 0/0'"

	for s in rx_packets tx_packets rx_errors tx_dropped; do
		eval "st_$s=\$(readf /sys/class/net/$IF/statistics/$s)"
	done
	echo "FIGURE: ivshmem-net $IF: rx_packets $st_rx_packets tx_packets $st_tx_packets rx_errors $st_rx_errors tx_dropped $st_tx_dropped"
	check "no receive errors on $IF" [ "$st_rx_errors" = 0 ]
	check "no peer errors in the kernel log" \
		sh -c '! dmesg | grep -q "ivshmem_net.*\(out of order\|outside its data\|posted descriptor\)"'

	# The root's side restarts: RESET, and both ends set up again.
	ip link set "$IF" down
	ip link set "$IF" up
	ms=$(wait_carrier 1)
	check "carrier back after $IF went down and up (after $ms ms)" [ "$(carrier)" = 1 ]
	ip neigh flush dev "$IF"
	check "net-echo answers after $IF went down and up" \
		sh -c "ping -c 3 -W 2 $NET_IP >/dev/null 2>&1"

	hvctl cell destroy net-echo >/dev/null
	# Disable removes the PCI bus under the bound driver; enable brings
	# the device back and the loaded driver binds it again.
	do_disable
	check "disable with ivshmem_net bound: $IF is gone" \
		[ ! -e "/sys/class/net/$IF" ]
	do_enable
	check "enabled again after the ivshmem-net scenario" \
		[ "$(readf $SYSFS/enabled)" = 1 ]
	check "ivshmem_net binds 00:01.0 again after enable" \
		sh -c "ls '$IVNET_DEV/net' >/dev/null 2>&1"
	check "no kernel oops or warning from the ivshmem-net scenario" \
		sh -c '! dmesg | grep -qE "Unable to handle kernel|Internal error|BUG:|WARNING:"'
	check "rmmod ivshmem_net" rmmod ivshmem_net
	check "the device is unbound again" [ ! -e "$IVNET_DEV/driver" ]
else
	fail "insmod ivshmem_net.ko (or no device)"
fi
