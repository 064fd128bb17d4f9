#!/bin/sh
# SPDX-License-Identifier: MIT
#
# `make test-qemu`: the hypervisor on arm64 end to end. Fetches Debian's
# arm64 kernel, headers, busybox and sysroot (cached), cross-builds hv.bin,
# hvdrv.ko, the tools and the ioctl checker, builds an initramfs, and boots
# QEMU once per part:
#   core      cortex-a57: tests/qemu/scenario.sh in the guest
#   operator  cortex-a57 with SSH: tests/qemu/operator.sh drives hvtop and
#             hvctl in the guest from the host (tmux, ssh -tt)
#   a53       cortex-a53 (40-bit PA range): the core scenario with one
#             enable/disable cycle, and the interrupt scenarios
#   a76       cortex-a76 (VHE, kept off EL2 by the command line): same
#   vhe       -cpu max with VHE in use: the driver must refuse
#   k510      Debian 11's Linux 5.10 (KVM built in) on cortex-a57, with the
#             driver built against its headers: the stub probe finds EL2
#             free, then the core scenario once (with KVM_CREATE_VM
#             refused while enabled, allowed after disable; the 6.1 parts
#             have no /dev/kvm and skip that) and the tick cell
#             (tests/qemu/k510.sh, k510-tick.sh)
#   k510vhe   the same kernel on -cpu max (VHE): the refusal names
#             CONFIG_ARM64_VHE
# core and k510 also run tests/qemu/ivshmem.sh (the root's virtual PCI
# host, uio_ivshmem round trips with the ivshmem-echo cell, isolation);
# a53 and a76 leave it out (IVSHMEMTEST=0).
# Each part prints its duration and its own "N passed, N failed"; the run
# ends with the sum. QEMU_PARTS="core a53" runs a subset.
#   qemu-test.sh BUILD [QEMU_DIR]
set -u

BUILD=${1:-build}
QEMU_DIR=${2:-build/qemu}
cd "$(dirname "$0")/.."
ARM=$BUILD/arm64
T0=$(date +%s)
PARTS=${QEMU_PARTS:-core operator a53 a76 vhe k510 k510vhe}
TIMEOUT=${QEMU_TIMEOUT:-480}
p=0
f=0
SUMMARY=""

fail_early() {
	echo "qemu-test: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}
elapsed() { echo $(($(date +%s) - T0)); }

for t in qemu-system-aarch64 aarch64-linux-gnu-gcc cpio gzip ssh ssh-keygen tmux; do
	command -v $t >/dev/null 2>&1 ||
		fail_early "missing $t (packages: qemu-system-arm gcc-aarch64-linux-gnu cpio openssh-client tmux)"
done

scripts/qemu-fetch.sh "$QEMU_DIR" || fail_early "fetching the arm64 parts failed"
# Linux 5.10 only when a part needs it; a failure fails those parts.
K510=0
case " $PARTS " in
*" k510"*)
	scripts/qemu-fetch.sh "$QEMU_DIR" k510 && K510=1 ||
		echo "qemu-test: fetching Debian 11's Linux 5.10 failed"
	;;
esac
echo "qemu-test: fetched in $(elapsed) s"

make --no-print-directory BUILD="$BUILD" QEMU_DIR="$QEMU_DIR" \
	hv-arm64 driver driver-test "$ARM/hvioctl" "$ARM/ivshmem-rt" "$ARM/inmate.bin" "$ARM/inmate.cell" \
	"$BUILD/configs/qemu/system.cell" inmates "$ARM/gicpoke.ko" \
	$(for c in configs/qemu/*.json; do
		n=${c##*/}; echo "$BUILD/configs/qemu/${n%.json}.cell"; done) ||
	fail_early "building hv.bin, hvdrv.ko or the QEMU system config failed"
# The tools for arm64: the scenarios report their absence as failures.
make --no-print-directory BUILD="$BUILD" QEMU_DIR="$QEMU_DIR" cross-tools ||
	{ echo "qemu-test: cross-building the tools failed"; rm -f "$ARM/hvctl" "$ARM/hvtop"; }
if [ $K510 = 1 ]; then
	make --no-print-directory BUILD="$BUILD" QEMU_DIR="$QEMU_DIR" driver-5.10 ||
		{ echo "qemu-test: building hvdrv.ko against Linux 5.10 failed"; K510=0; }
fi
echo "qemu-test: built in $(elapsed) s"

# The key the guest's SSH server accepts, made for this run only.
KEYDIR=$ARM/ssh
rm -rf "$KEYDIR"
mkdir -p "$KEYDIR"
chmod 700 "$KEYDIR"
ssh-keygen -q -t ed25519 -N '' -C hvctl-qemu-test -f "$KEYDIR/id" ||
	fail_early "ssh-keygen failed"

tests/qemu/mkinitramfs.sh "$ARM/initramfs.cpio.gz" "$QEMU_DIR" "$ARM" \
	"$BUILD/configs/qemu/system.cell" "$KEYDIR/id.pub" ||
	fail_early "initramfs build failed"
echo "qemu-test: initramfs $(wc -c < "$ARM/initramfs.cpio.gz") bytes"
if [ $K510 = 1 ]; then
	HVDRV=$ARM/hvdrv-5.10.ko HVDBGCON=$ARM/driver-5.10/hvdbgcon.ko \
		IVSHMEM_NET=$ARM/driver-5.10/ivshmem_net.ko HVDRV_TEST= \
		UIO_IVSHMEM=$ARM/driver-5.10/uio_ivshmem.ko \
		UIO_KO=$(ls "$QEMU_DIR"/k510/x/lib/modules/*/kernel/drivers/uio/uio.ko | head -n 1) \
		tests/qemu/mkinitramfs.sh \
		"$ARM/initramfs-5.10.cpio.gz" "$QEMU_DIR" "$ARM" \
		"$BUILD/configs/qemu/system.cell" "$KEYDIR/id.pub" || K510=0
fi

# ---- accounting ----
# tally PART LOG PREFIX: adds the guest's "PREFIXN passed, N failed".
tally() {
	line=$(grep -E "^$3[0-9]+ passed, [0-9]+ failed$" "$2" | tail -n 1)
	if [ -z "$line" ]; then
		echo "qemu-test: $1: the scenario did not finish"
		f=$((f + 1))
		return
	fi
	line=${line#"$3"}
	a=${line%% passed*}
	b=${line#*passed, }
	b=${b%% failed}
	p=$((p + a))
	f=$((f + b))
}
# need PART LOG TEXT: the log must show TEXT.
need() {
	if grep -q -e "$3" "$2"; then
		p=$((p + 1))
	else
		echo "qemu-test: $1: log lacks: $3"
		f=$((f + 1))
	fi
}
powered_off() {
	need "$1" "$2" "reboot: Power down"
}

# boot PART: one QEMU run with QEMU_CPU/QEMU_APPEND/... from the caller;
# the console goes to $ARM/qemu-PART.log (and .txt without CRs).
boot() {
	scripts/qemu-run.sh "${KERNEL:-$QEMU_DIR/kernel/Image}" \
		"${INITRD:-$ARM/initramfs.cpio.gz}" "$ARM/qemu-$1.log" \
		"$TIMEOUT" > /dev/null
	tr -d '\r' < "$ARM/qemu-$1.log" > "$ARM/qemu-$1.log.txt"
}

# part NAME: runs part_NAME and records its duration.
part() {
	s=$(date +%s)
	p0=$p
	f0=$f
	echo "qemu-test: part $1 ..."
	"part_$1"
	d=$(($(date +%s) - s))
	echo "qemu-test: part $1: $((p - p0)) passed, $((f - f0)) failed, $d s (log $ARM/qemu-$1.log.txt)"
	SUMMARY="$SUMMARY
  $1: $d s, $((p - p0)) passed, $((f - f0)) failed"
}

# The scenario's core, shared by every CPU model.
core_needs() {
	L=$ARM/qemu-$1.log.txt
	need "$1" "$L" "CPU: All CPU(s) started at EL2"
	need "$1" "$L" "Initializing hvctl hypervisor"
	need "$1" "$L" "PASS: root cell state is running"
	need "$1" "$L" "PASS: the inmate printed through the hypervisor"
	need "$1" "$L" "hvctl-qemu: scenario finished"
	powered_off "$1" "$L"
}

# The virtual Ethernet to net-echo (tests/qemu/ivnet.sh).
ivnet_needs() {
	L=$ARM/qemu-$1.log.txt
	need "$1" "$L" "PASS: ivshmem-net ping first: 20 sent, 20 answered, 0% loss"
	need "$1" "$L" "PASS: carrier off after net-echo was destroyed"
	need "$1" "$L" "PASS: carrier on again once net-echo runs"
	need "$1" "$L" "PASS: ivshmem-net ping after restart: 20 sent, 20 answered, 0% loss"
}

# The interrupts issue's scenarios (tests/qemu/irq.sh) on a CPU model.
irq_needs() {
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: tick's vmexits_virt_irq matches its ticks within 5 %"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: smp CPU 1 received SGIs from CPU 0"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: crash became failed"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: onlining CPU 3 while tick owns it fails with EBUSY"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: destroying refuse fails, naming it"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: destroying the silent refuse succeeds after the wait"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: SYSTEM_RESET restarted psci at its entry (boot 2)"
	need "$1" "$ARM/qemu-$1.log.txt" "PASS: SYSTEM_OFF left psci shut down"
}

# The ivshmem scenarios (tests/qemu/ivshmem.sh) and their figures.
ivshmem_needs() {
	L=$ARM/qemu-$1.log.txt
	need "$1" "$L" "PASS: the root lists two ivshmem devices (110a:4106)"
	need "$1" "$L" "PASS: no ivshmem device after disable"
	need "$1" "$L" "PASS: 3 of 3 enable/disable cycles list and remove the devices"
	need "$1" "$L" "PASS: module reference counts as before the cycles"
	need "$1" "$L" "PASS: 1000 UIO round trips through ivshmem-echo, every reply correct"
	need "$1" "$L" "PASS: doorbells to absent peers are ignored"
	need "$1" "$L" "PASS: the cell that wrote the root's output section failed"
	need "$1" "$L" "PASS: the cell that wrote the state table failed"
	grep -E "^FIGURE: ivshmem" "$L"
}

part_core() {
	QEMU_CPU=cortex-a57 boot core
	tally core "$ARM/qemu-core.log.txt" ""
	core_needs core
	need core "$ARM/qemu-core.log.txt" "PASS: vmexits_psci rose"
	need core "$ARM/qemu-core.log.txt" "of 3 enable/disable cycles clean"
	need core "$ARM/qemu-core.log.txt" "stage 2: 44-bit IPA"
	# The fault-injection build's slow readers: disable waits for them.
	for r in console core; do
		need core "$ARM/qemu-core.log.txt" "PASS: $r: disable waited for the reader"
	done
	grep -E "^(console|core): disable took" "$ARM/qemu-core.log.txt"
	# A CPU being handed to a cell cannot be onlined mid-create.
	need core "$ARM/qemu-core.log.txt" "PASS: create race: onlining CPU 3 mid-create fails with EBUSY"
	need core "$ARM/qemu-core.log.txt" "PASS: create race: CPU 3 stayed offline"
	# Cells own their interrupts (tests/qemu/irq.sh) and its figures.
	irq_needs core
	ivshmem_needs core
	grep -E "^FIGURE: " "$ARM/qemu-core.log.txt"
	ivnet_needs core
}

part_a53() {
	QEMU_CPU=cortex-a53 QEMU_APPEND="CYCLES=1 IVSHMEMTEST=0" boot a53
	tally a53 "$ARM/qemu-a53.log.txt" ""
	core_needs a53
	# The model's range, read from ID_AA64MMFR0_EL1 by the hypervisor.
	need a53 "$ARM/qemu-a53.log.txt" "PARange 40 bits"
	need a53 "$ARM/qemu-a53.log.txt" "stage 2: 40-bit IPA, start level 1, 2 concatenated root tables"
	irq_needs a53
	grep -E "PARange|stage 2:" "$ARM/qemu-a53.log.txt" | head -n 3
}

part_a76() {
	QEMU_CPU=cortex-a76 QEMU_APPEND="id_aa64mmfr1.vh=0 CYCLES=1 IVSHMEMTEST=0" boot a76
	tally a76 "$ARM/qemu-a76.log.txt" ""
	core_needs a76
	need a76 "$ARM/qemu-a76.log.txt" "PARange 40 bits"
	irq_needs a76
	grep -E "PARange|stage 2:" "$ARM/qemu-a76.log.txt" | head -n 3
}

# A CPU with VHE in use: Linux runs at EL2 itself, and the driver must
# refuse with the kernel parameters that fix it.
part_vhe() {
	QEMU_CPU=max QEMU_APPEND=hvtest=vhe boot vhe
	grep -E "^VHE: " "$ARM/qemu-vhe.log.txt"
	tally vhe "$ARM/qemu-vhe.log.txt" "vhe: "
	powered_off vhe "$ARM/qemu-vhe.log.txt"
}

part_k510() {
	if [ $K510 = 0 ]; then
		echo "qemu-test: k510: no Linux 5.10 kernel or driver"
		f=$((f + 1))
		return
	fi
	KERNEL=$QEMU_DIR/k510/Image INITRD=$ARM/initramfs-5.10.cpio.gz \
		QEMU_CPU=cortex-a57 QEMU_KVM= QEMU_APPEND="hvtest=k510 CYCLES=1 IRQTEST=0" \
		boot k510
	L=$ARM/qemu-k510.log.txt
	grep -E "^k510: |kvm \[1\]: Hyp mode|hvdrv: loaded" "$L" | head -n 4
	tally k510 "$L" ""
	core_needs k510
	# KVM had EL2 at boot and gave it back to the stub: the evidence.
	need k510 "$L" "Linux 5.10"
	need k510 "$L" "kvm \[1\]: Hyp mode initialized successfully"
	need k510 "$L" "k510: EL2 is free: the hyp stub answered the driver's probe"
	# KVM is live here: a VM is refused while enabled, allowed after.
	need k510 "$L" "PASS: KVM_CREATE_VM refused with EBUSY while enabled"
	need k510 "$L" "PASS: KVM_CREATE_VM succeeds after disable"
	grep -E "^kvm: |refusing a KVM VM" "$L" | head -n 3
	need k510 "$L" "PASS: onlining CPU 3 while tick owns it fails with EBUSY on Linux 5.10"
	# ivshmem_net.ko built against Linux 5.10.
	ivnet_needs k510
	grep -E "^FIGURE: ivshmem-net" "$L"
	# The virtual PCI host with 5.10's domain from a parent node, UIO.
	ivshmem_needs k510
	tally k510 "$L" "k510-tick: "
}

part_k510vhe() {
	if [ $K510 = 0 ]; then
		echo "qemu-test: k510vhe: no Linux 5.10 kernel or driver"
		f=$((f + 1))
		return
	fi
	KERNEL=$QEMU_DIR/k510/Image INITRD=$ARM/initramfs-5.10.cpio.gz \
		QEMU_CPU=max QEMU_KVM= QEMU_APPEND=hvtest=vhe boot k510vhe
	L=$ARM/qemu-k510vhe.log.txt
	grep -E "^VHE: " "$L"
	tally k510vhe "$L" "vhe: "
	need k510vhe "$L" "VHE: Linux 5.10"
	need k510vhe "$L" "rebuild the kernel without CONFIG_ARM64_VHE"
	powered_off k510vhe "$L"
}

part_operator() {
	# A free port on the loopback for the guest's SSH server.
	port=$((20000 + $$ % 20000))
	while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port "; do
		port=$((port + 1))
	done
	QEMU_CPU=cortex-a57 QEMU_SSH_PORT=$port QEMU_APPEND=hvtest=operator-guest \
		boot operator &
	qpid=$!
	tests/qemu/operator.sh "$ARM" "$KEYDIR/id" "$port" \
		2>&1 | tee "$ARM/operator.log"
	wait $qpid
	tr -d '\r' < "$ARM/qemu-operator.log" > "$ARM/qemu-operator.log.txt"
	tally operator "$ARM/operator.log" "operator: "
	need operator "$ARM/qemu-operator.log.txt" "hvctl-qemu: ssh server started"
	powered_off operator "$ARM/qemu-operator.log.txt"
}

for part in $PARTS; do
	part "$part"
done

echo "qemu-test: parts (whole run $(elapsed) s):$SUMMARY"
echo "qemu-test: logs in $ARM"
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
