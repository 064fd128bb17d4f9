#!/bin/sh
# Run libFuzzer targets (the config readers, hvsim's socket, net-echo's
# ivshmem-net rings and replies) one after
# the other, each for SECONDS, and print one line per target; exit
# non-zero if any found a crash.
#   run-fuzz.sh SECONDS build/fuzz/fuzz_binary build/fuzz/fuzz_json ...
# Corpora live in build/fuzz/corpus/<target>/ and are seeded from the
# shipped configs and the test fixtures; crash inputs land in
# build/fuzz/artifacts/.
set -u
cd "$(dirname "$0")/.."
secs=${1:?usage: run-fuzz.sh SECONDS BIN...}
shift
out=build/fuzz
mkdir -p "$out/artifacts"

# Config key names and values help the JSON fuzzer get past the keys.
dict=$out/json.dict
{
	for w in type architecture revision flags hypervisor_memory \
		debug_console platform_info root_cell name id cpu_set \
		cpu_set_size vpci_irq_base cpu_reset_address msg_reply_timeout \
		console memory_regions cache_regions irqchips pio_regions \
		pci_devices pci_caps stream_ids phys_start virt_start size \
		address divider gate_nr clock_reg start padding pin_base \
		interrupts base length iommu domain bdf bar_mask caps_start \
		num_caps num_msi_vectors msi_64bits msi_maskable \
		num_msix_vectors msix_region_size msix_address \
		shmem_regions_start shmem_dev_id shmem_peers shmem_protocol \
		len pci_mmconfig_base pci_mmconfig_end_bus pci_is_virtual \
		pci_domain iommu_units arm x86 maintenance_irq gic_version \
		gicd_base gicc_base gich_base gicv_base gicr_base \
		pm_timer_address apic_mode vtd_interrupt_limit tsc_khz \
		apic_khz raw amd_bdf amd_base_cap amd_msi_cap amd_features \
		tipvu_tlb_base tipvu_tlb_size signature system cell arm64 \
		read write execute dma io comm_region loadable rootshared \
		io_unaligned pl011 8250 ivshmem smmuv3 amd pvu intx msix \
		schema_version time uri enabled pools mem remap used num_cpus \
		interval counter_names cells cpus cpus_list failed_cpus \
		failed_list failure root memory_bytes shared_bytes counters \
		rates per_cpu running "shut down" failed; do
		printf '"\\"%s\\""\n' "$w"
	done
	printf '"0x"\n"4K"\n"1M"\n"0-3,6"\n"00:01.0"\n'
} > "$dict"

status=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$out/corpus/$name
	mkdir -p "$corpus"
	case $name in
	*hvsim*)
		# One well-framed request of each kind (fuzz_hvsim.c's format):
		# selector, no mutation, no size shift.
		for k in 0 1 2 3 4 5 6 7 8 9 10; do
			printf "\\$(printf %o $((128 + k)))\\000\\000" \
				>"$corpus/seed-cmd$k"
		done
		extra=""
		;;
	*replay*)
		# Recorded sessions (hvtop -b --json), and the words of the schema.
		for f in tests/fixtures/replay/*.json; do
			[ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | tr / _)"
		done
		head -n 4 tests/fixtures/replay/session.json > "$corpus/seed-head"
		extra="-dict=$dict"
		;;
	*ivnet*)
		# A frame for the reply builder (ARP, ICMP echo) and a peer
		# section posting both (fuzz_ivnet.c's format).
		for f in tests/fixtures/ivnet/*.bin; do
			cp "$f" "$corpus/seed-$(basename "$f")"
		done
		extra=""
		;;
	*json*)
		for f in configs/*/*.json tests/fixtures/*/*.json; do
			[ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | tr / _)"
		done
		extra="-dict=$dict"
		;;
	*)
		for f in tests/fixtures/*/*.cell $(find build -name '*.cell' \
				-path '*configs*' 2>/dev/null); do
			[ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | tr / _)"
		done
		extra=""
		;;
	esac
	log=$out/$name.log
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$out/artifacts/$name-" \
		$extra "$corpus" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	files=$(ls "$corpus" | wc -l)
	if [ $rc -eq 0 ]; then
		echo "$name: ${runs:-?} runs in ${secs}s (${speed:-?}/s), corpus $files files, no crash"
	else
		status=1
		echo "$name: FAILED (exit $rc) after ${runs:-?} runs; log $log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" | head -5
		grep -A12 -E '^(decompiled|round trip|compiled image|binary ->|named)' "$log" | head -20
	fi
done
exit $status
