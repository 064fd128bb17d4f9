/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libhvctl: everything in one include.
 *
 *   common.h   conventions, struct hvctl_error
 *   config.h   cell/system configs: binary and JSON codecs, validation
 *   names.h    the format's words for flags, types, protocols, BDFs
 *   layout.h   what configs mean together: memory layout, ivshmem links
 *   runtime.h  context, backends, control operations
 *   state.h    snapshots with rates
 *   changes.h  lifecycle changes between snapshots (events, event log)
 *   snapshot_json.h  a snapshot as JSON, in the one documented schema
 *   console.h  console readers
 *   events.h   pollable events, ivshmem devices
 */
#ifndef HVCTL_HVCTL_H
#define HVCTL_HVCTL_H

#include <hvctl/common.h>
#include <hvctl/config.h>
#include <hvctl/names.h>
#include <hvctl/layout.h>
#include <hvctl/runtime.h>
#include <hvctl/state.h>
#include <hvctl/changes.h>
#include <hvctl/snapshot_json.h>
#include <hvctl/console.h>
#include <hvctl/events.h>
#include <hvctl/text.h>
#include <hvctl/profile.h>

#endif /* !HVCTL_HVCTL_H */
