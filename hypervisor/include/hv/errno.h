/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers returned by hypercalls, negated. The values are Linux's, so a
 * hypercall result travels unchanged through the driver to user space. A port
 * that also includes the C library's <errno.h> gets identical definitions.
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

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
#ifndef EFAULT
#define EFAULT		14
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

#endif /* !HV_ERRNO_H */
