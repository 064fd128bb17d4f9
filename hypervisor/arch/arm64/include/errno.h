/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The errno values the arm64 port returns (Linux's numbers, which the
 * hypercall ABI passes through as negative results). Guarded so that the
 * host unit tests may include <errno.h> as well.
 */
#ifndef ARM64_ERRNO_H
#define ARM64_ERRNO_H

#ifndef EPERM
#define EPERM		1
#endif
#ifndef ENOENT
#define ENOENT		2
#endif
#ifndef EIO
#define EIO		5
#endif
#ifndef E2BIG
#define E2BIG		7
#endif
#ifndef ENOMEM
#define ENOMEM		12
#endif
#ifndef EBUSY
#define EBUSY		16
#endif
#ifndef EEXIST
#define EEXIST		17
#endif
#ifndef ENODEV
#define ENODEV		19
#endif
#ifndef EINVAL
#define EINVAL		22
#endif
#ifndef ERANGE
#define ERANGE		34
#endif
#ifndef ENOSYS
#define ENOSYS		38
#endif

#endif /* !ARM64_ERRNO_H */
