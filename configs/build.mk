# configs: every JSON config compiles to build/configs/<board>/<name>.cell.
#
# Board files (board.json) and guest scripts are not cell configs; a config
# is any *.json that is not board.json.

CONFIG_JSONS	:= $(filter-out %/board.json,$(sort $(wildcard configs/*/*.json)))
CONFIG_CELLS	:= $(CONFIG_JSONS:configs/%.json=$(BUILD)/configs/%.cell)

BINS += $(CONFIG_CELLS)

$(BUILD)/configs/%.cell: configs/%.json $(BUILD)/hvctl
	@mkdir -p $(dir $@)
	@echo "  CONFIG  $@"
	$(Q)$(BUILD)/hvctl config compile $< -o $@
