/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's errno values, for domains: methods return them negated and
 * the TCB passes them on unchanged, so they must be the kernel's numbers.
 */
#ifndef DOMAIN_ERRNO_H
#define DOMAIN_ERRNO_H

#ifndef __KERNEL__
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define EFBIG		27
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define EPROTO		71
#define EOVERFLOW	75
#define EOPNOTSUPP	95
#define ETIMEDOUT	110
#endif

#endif
