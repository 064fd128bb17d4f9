#!/bin/sh
# SPDX-License-Identifier: MIT
#
# In the guest: the virtio-mmio NIC (QEMU's user network, restricted to a
# forward from the host's loopback) and dropbear on port 22, accepting
# only the key in /root/.ssh/authorized_keys.
for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m" || echo "net: insmod $m failed"
done
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
mkdir -p /etc/dropbear
dropbearkey -t ed25519 -f /etc/dropbear/dropbear_ed25519_host_key \
	>/dev/null 2>&1
# -s: keys only; -F -E: foreground, log to the console.
dropbear -F -E -s -p 22 -r /etc/dropbear/dropbear_ed25519_host_key \
	2>/tmp/dropbear.log &
echo "hvctl-qemu: ssh server started"
