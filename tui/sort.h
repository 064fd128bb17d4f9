/* SPDX-License-Identifier: MIT */
/*
 * Sort keys of the cells and CPUs lists, and their names.
 */
#ifndef HVTOP_SORT_H
#define HVTOP_SORT_H

#include <stdbool.h>

enum tui_cell_sort {
	TUI_CELL_SORT_ID = 0,
	TUI_CELL_SORT_NAME,
	TUI_CELL_SORT_STATE,
	TUI_CELL_SORT_CPUS,
	TUI_CELL_SORT_MEMORY,
	TUI_CELL_SORT_RATE,
	TUI_CELL_SORT_TOTAL,
	TUI_CELL_SORT_COUNT
};

enum tui_cpu_sort {
	TUI_CPU_SORT_CPU = 0,
	TUI_CPU_SORT_OWNER,
	TUI_CPU_SORT_STATE,
	TUI_CPU_SORT_RATE,
	TUI_CPU_SORT_COUNT
};

/*
 * Whether a key first sorts largest first: numbers (CPUs, memory, rates,
 * exits) do; IDs, names and states go ascending.
 */
bool tui_cell_sort_desc_first(enum tui_cell_sort s);
bool tui_cpu_sort_desc_first(enum tui_cpu_sort s);

const char *tui_cell_sort_name(enum tui_cell_sort s);
int tui_cell_sort_from_name(const char *name);
const char *tui_cpu_sort_name(enum tui_cpu_sort s);
int tui_cpu_sort_from_name(const char *name);

#endif /* !HVTOP_SORT_H */
