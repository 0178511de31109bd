// SPDX-License-Identifier: GPL-2.0
/*
 * Built-in self-tests of the executable-memory layer.  Debian kernels have
 * no KUnit, so the VM tests trigger these through sysfs.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/pgtable.h>
#include "ksym/ksym.h"


#define TEXT_OFF	0
#define RODATA_OFF	PAGE_SIZE
#define DATA_OFF	(2 * PAGE_SIZE)
#define IMAGE_SIZE	(3 * PAGE_SIZE)
#define RODATA_VALUE	0x1000ULL

/*
 * A position-independent function, long f(long a, long b), that returns
 * 3 * a + b + *rodata and increments *data: it checks that text can reach
 * rodata and data at fixed offsets and that data is writable from text.
 * It starts with ENDBR64 because we call it through a pointer (IBT).
 */
static const u8 test_code[] = {
	0xf3, 0x0f, 0x1e, 0xfa,			/*  0: endbr64 */
	0x48, 0x8d, 0x04, 0x7f,			/*  4: lea (%rdi,%rdi,2),%rax */
	0x48, 0x01, 0xf0,			/*  8: add %rsi,%rax */
	0x48, 0x03, 0x05, 0xee, 0x0f, 0x00, 0x00, /* 11: add 0xfee(%rip),%rax -> 0x1000 */
	0x48, 0xff, 0x05, 0xe7, 0x1f, 0x00, 0x00, /* 18: incq 0x1fe7(%rip) -> 0x2000 */
	0xc3,					/* 25: ret */
};

typedef long (*test_fn)(long a, long b);

static const struct dc_prot_range test_layout[] = {
	{ TEXT_OFF, PAGE_SIZE, DC_PROT_RX },
	{ RODATA_OFF, PAGE_SIZE, DC_PROT_RO },
	{ DATA_OFF, PAGE_SIZE, DC_PROT_RW },
};

static struct dc_exec_mem *build_test_image(void)
{
	u64 rodata = RODATA_VALUE;
	struct dc_exec_mem *mem;
	int err;

	mem = dc_exec_alloc(IMAGE_SIZE);
	if (IS_ERR(mem))
		return mem;
	err = dc_exec_write(mem, TEXT_OFF, test_code, sizeof(test_code));
	if (!err)
		err = dc_exec_write(mem, RODATA_OFF, &rodata, sizeof(rodata));
	if (!err)
		err = dc_exec_protect(mem, test_layout, ARRAY_SIZE(test_layout));
	if (err) {
		dc_exec_free(mem);
		return ERR_PTR(err);
	}
	return mem;
}

/* Check the page table entry: writable and executable exactly as asked. */
static int check_page(void *addr, bool want_write, bool want_exec,
		      const char *what)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)addr, &level);
	bool write, exec;

	if (!pte || !pte_present(*pte)) {
		pr_err("selftest: %s page not mapped\n", what);
		return -EFAULT;
	}
	write = pte_flags(*pte) & _PAGE_RW;
	exec = !(pte_flags(*pte) & _PAGE_NX);
	if (write != want_write || exec != want_exec) {
		pr_err("selftest: %s page is %s%s, want %s%s\n", what,
		       write ? "W" : "-", exec ? "X" : "-",
		       want_write ? "W" : "-", want_exec ? "X" : "-");
		return -EACCES;
	}
	return 0;
}

static int selftest_exec(void)
{
	long before_regions = dc_exec_live_regions();
	struct dc_exec_mem *mem;
	u64 *counter;
	long got;
	int err;

	mem = build_test_image();
	if (IS_ERR(mem))
		return PTR_ERR(mem);

	err = check_page((u8 *)mem->base + TEXT_OFF, false, true, "text");
	if (!err)
		err = check_page((u8 *)mem->base + RODATA_OFF, false, false, "rodata");
	if (!err)
		err = check_page((u8 *)mem->base + DATA_OFF, true, false, "data");
	if (err)
		goto out;

	got = ((test_fn)mem->base)(5, 7);
	counter = (u64 *)((u8 *)mem->base + DATA_OFF);
	if (got != 3 * 5 + 7 + RODATA_VALUE || *counter != 1) {
		pr_err("selftest: generated code returned %ld (counter %llu), want %llu (1)\n",
		       got, *counter, 3 * 5 + 7 + RODATA_VALUE);
		err = -EIO;
	}
out:
	dc_exec_free(mem);
	if (!err && dc_exec_live_regions() != before_regions)
		err = -EUCLEAN;
	return err;
}

/* Writing protected text must be refused, by our API and by the hardware. */
static int selftest_wx_refused(void)
{
	static const u8 int3[4] = { 0xcc, 0xcc, 0xcc, 0xcc };
	/* Not exported; resolved like every other internal we use. */
	unsigned long nofault_copy = dc_ksym("copy_to_kernel_nofault");
	struct dc_exec_mem *mem;
	int err = 0;

	if (!nofault_copy)
		return -ENOENT;

	mem = build_test_image();
	if (IS_ERR(mem))
		return PTR_ERR(mem);

	if (dc_exec_write(mem, TEXT_OFF, int3, sizeof(int3)) != -EPERM) {
		pr_err("selftest: write to sealed text was not refused\n");
		err = -EIO;
	}
	/* The kernel's fault-tolerant copy must fault on RX and RO pages. */
	if (!dc_call_sealed(nofault_copy, (unsigned long)mem->base + TEXT_OFF,
			    (unsigned long)int3, sizeof(int3), 0, 0) ||
	    !dc_call_sealed(nofault_copy, (unsigned long)mem->base + RODATA_OFF,
			    (unsigned long)int3, sizeof(int3), 0, 0)) {
		pr_err("selftest: protected page accepted a write\n");
		err = -EIO;
	}
	if (memcmp((u8 *)mem->base + TEXT_OFF, test_code, sizeof(test_code))) {
		pr_err("selftest: protected text changed\n");
		err = -EIO;
	}
	if (!err && dc_exec_protect(mem, test_layout, ARRAY_SIZE(test_layout)) != -EPERM) {
		pr_err("selftest: second protect was not refused\n");
		err = -EIO;
	}
	dc_exec_free(mem);
	return err;
}

static int selftest_bounds(void)
{
	static const struct dc_prot_range unaligned = { 1, PAGE_SIZE, DC_PROT_RX };
	static const struct dc_prot_range outside = { PAGE_SIZE, 2 * PAGE_SIZE, DC_PROT_RO };
	struct dc_exec_mem *mem;
	u8 byte = 0;
	int err = 0;

	if (PTR_ERR(dc_exec_alloc(0)) != -EFBIG ||
	    PTR_ERR(dc_exec_alloc(DC_EXEC_MAX_SIZE + 1)) != -EFBIG)
		return -EIO;
	mem = dc_exec_alloc(2 * PAGE_SIZE);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	if (dc_exec_write(mem, 2 * PAGE_SIZE, &byte, 1) != -ERANGE ||
	    dc_exec_write(mem, 2 * PAGE_SIZE - 1, &byte, 2) != -ERANGE ||
	    dc_exec_write(mem, 1, &byte, SIZE_MAX) != -ERANGE ||
	    dc_exec_write(mem, 2 * PAGE_SIZE - 1, &byte, 1) != 0 ||
	    dc_exec_protect(mem, &unaligned, 1) != -ERANGE ||
	    dc_exec_protect(mem, &outside, 1) != -ERANGE)
		err = -EIO;
	dc_exec_free(mem);
	return err;
}

static const struct {
	const char *name;
	int (*run)(void);
} selftests[] = {
	{ "exec", selftest_exec },
	{ "wx-refused", selftest_wx_refused },
	{ "bounds", selftest_bounds },
};

/* Run the named self-test ("exec", "wx-refused", "bounds" or "all"). */
static int selftest_run(const char *name, char *result, size_t size)
{
	bool all = !strcmp(name, "all");
	bool found = false;
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(selftests); i++) {
		if (!all && strcmp(name, selftests[i].name))
			continue;
		found = true;
		err = selftests[i].run();
		if (err) {
			scnprintf(result, size, "%s: FAIL (%d)\n", selftests[i].name, err);
			break;
		}
		scnprintf(result, size, "%s: ok\n", all ? "all" : selftests[i].name);
	}
	if (!found) {
		scnprintf(result, size, "%s: no such self-test\n", name);
		err = -ENOENT;
	}
	pr_info("selftest %s", result);
	return err;
}

static struct dc_sysfs_cmd selftest_cmd = DC_SYSFS_CMD(selftest, selftest_run);

int dc_selftest_init(void)
{
	return dc_sysfs_cmd_add(&selftest_cmd);
}

void dc_selftest_exit(void)
{
	dc_sysfs_cmd_del(&selftest_cmd);
}
