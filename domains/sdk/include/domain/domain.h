/* SPDX-License-Identifier: GPL-2.0 */
/*
 * domain.h: the one header a domain includes.
 *
 *	#include <domain/domain.h>
 *
 *	DOMAIN_DEFINE("hello", file, "1.0.0", log);	// name, iface, version, needs
 *
 *	static long hello_read(uint64_t len, uint64_t off) { ... }
 *	static long hello_write(dc_obj_t data, uint64_t off) { ... }
 *	static const struct file_ops hello_ops = {
 *		.read = hello_read,
 *		.write = hello_write,
 *	};
 *
 *	long dom_init(const char *params, struct dc_entry_result *out)
 *	{
 *		out->ops = &hello_ops;
 *		return 0;
 *	}
 *
 * libdomain provides the ELF entry point (dc_domain_entry): it checks the
 * service table, keeps it in dom_svc/dom_self, seeds the stack protector,
 * sets up the heap and calls dom_init().  See docs/writing-a-domain.md.
 */
#ifndef DOMAIN_DOMAIN_H
#define DOMAIN_DOMAIN_H

#include <stdarg.h>
#include <stdbool.h>
#include "types.h"
#include "abi.h"
#include "errno.h"
#include "iface/all.h"

/*
 * Everything here is defined inside the image: hidden visibility keeps
 * references PC-relative, so no GOT entries or symbolic relocations.
 */
#pragma GCC visibility push(hidden)

#define __dom_printf(a, b)	__attribute__((format(printf, a, b)))
#define __dom_noreturn		__attribute__((noreturn, cold))
#define __dom_unused		__attribute__((unused))
#define dom_likely(x)		__builtin_expect(!!(x), 1)
#define dom_unlikely(x)		__builtin_expect(!!(x), 0)
#define DOM_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DOM_MIN(a, b)		((a) < (b) ? (a) : (b))
#define DOM_MAX(a, b)		((a) > (b) ? (a) : (b))

#define DOM_PAGE_SIZE		4096
#define DOM_LOG_MAX		512	/* longest dom_log()/dom_panic() message */
/* The largest stack frame a function may have (the SDK's -Wframe-larger-than). */
#define DOM_FRAME_MAX		2048

/* ------------------------------------------------------------------ */
/* The service table and the calling instance, set by the entry point. */

extern const struct dc_services *dom_svc;
extern dc_self_t dom_self;

/*
 * The author's entry: parse @params, set out->ops (and, for a domain
 * defined with DOMAIN_DEFINE_STATEFUL, out->state_export and
 * out->state_import).  Return 0 or a negative errno.
 */
long dom_init(const char *params, struct dc_entry_result *out);

/* ------------------------------------------------------------------ */
/* Logging and giving up. */

void dom_log(int level, const char *fmt, ...) __dom_printf(2, 3);
void dom_vlog(int level, const char *fmt, va_list ap) __dom_printf(2, 0);
#define dom_err(...)		dom_log(DC_LOG_ERR, __VA_ARGS__)
#define dom_warn(...)		dom_log(DC_LOG_WARNING, __VA_ARGS__)
#define dom_notice(...)		dom_log(DC_LOG_NOTICE, __VA_ARGS__)
#define dom_info(...)		dom_log(DC_LOG_INFO, __VA_ARGS__)
#define dom_dbg(...)		dom_log(DC_LOG_DEBUG, __VA_ARGS__)

/*
 * Fail the instance: the call unwinds to the proxy and the TCB tears the
 * instance down (and restarts it, by policy).  Never returns.
 */
void dom_panic(const char *fmt, ...) __dom_printf(1, 2) __dom_noreturn;

#define DOM_ASSERT(cond)	DOM__ASSERT_AT(cond, __FILE__, __LINE__)
/* DOM_ASSERT() naming @file:@line: for helpers that check for their caller. */
#define DOM__ASSERT_AT(cond, file, line)				\
	do {								\
		if (dom_unlikely(!(cond)))				\
			dom_panic("assertion failed at %s:%d: %s",	\
				  file, line, #cond);			\
	} while (0)

/* ------------------------------------------------------------------ */
/* Private heap: 16-byte aligned blocks, safe on concurrent CPUs. */

void *dom_malloc(size_t size);
void *dom_calloc(size_t nmemb, size_t size);
void *dom_realloc(void *ptr, size_t size);
void dom_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Shared-heap objects: owned by one instance at a time. */

static inline dc_obj_t dom_obj_alloc(uint32_t type, size_t size)
{
	return dom_svc->obj_alloc(dom_self, type, size);
}

/* The data of an object this instance owns, or NULL (and *size = 0). */
static inline void *dom_obj_data(dc_obj_t obj, uint32_t type, size_t *size)
{
	struct dc_span s = dom_svc->obj_data(dom_self, obj, type);

	if (size)
		*size = s.size;
	return s.data;
}

static inline int dom_obj_free(dc_obj_t obj)
{
	return dom_svc->obj_free(dom_self, obj);
}

/* A new object holding a copy of @data; 0 if out of memory. */
dc_obj_t dom_obj_copy(uint32_t type, const void *data, size_t len);
/* A new DC_OBJ_BYTES object holding the formatted text (no NUL). */
dc_obj_t dom_obj_printf(const char *fmt, ...) __dom_printf(1, 2);
/*
 * What file.read returns for a read of at most @len bytes at @off from
 * the @size bytes at @buf: a new DC_OBJ_BYTES object with those bytes, 0
 * at or past the end (or for @len 0), or -ENOMEM.
 */
long dom_read_bytes(const void *buf, size_t size, uint64_t len, uint64_t off);

/* ------------------------------------------------------------------ */
/* The state store: objects the TCB keeps for this domain across restarts. */

/* Takes ownership of @obj, replacing (and freeing) what @key held. */
static inline int dom_store_put(uint64_t key, dc_obj_t obj)
{
	return dom_svc->store_put(dom_self, key, obj);
}

/* Hands the object under @key back to the caller (who then owns it), or 0. */
static inline dc_obj_t dom_store_get(uint64_t key)
{
	return dom_svc->store_get(dom_self, key);
}

/*
 * The data of the object under @key, left in the store: memory that
 * outlives this instance.  Valid until @key is replaced or taken.
 */
static inline void *dom_store_data(uint64_t key, size_t *size)
{
	struct dc_span s = dom_svc->store_data(dom_self, key);

	if (size)
		*size = s.size;
	return s.data;
}

/* ------------------------------------------------------------------ */
/* Block requests (interface block). */

/* Copy between request @req's data at @offset and @buf (see abi.h). */
static inline long dom_req_copy(uint64_t req, uint64_t offset, void *buf,
				size_t len, int to_request)
{
	return dom_svc->req_copy(dom_self, req, offset, buf, len, to_request);
}

/* ------------------------------------------------------------------ */
/* Time, CPU, randomness, locks. */

static inline uint64_t dom_time_ns(void)
{
	return dom_svc->time_ns();
}

static inline uint32_t dom_cpu_id(void)
{
	return dom_svc->cpu_id();
}

static inline uint64_t dom_random_u64(void)
{
	return dom_svc->random_u64();
}

/* A spin lock owned by this instance; NULL if out of memory. */
static inline struct dc_lock *dom_lock_new(void)
{
	return dom_svc->lock_new(dom_self);
}

static inline void dom_lock(struct dc_lock *lock)
{
	dom_svc->lock(lock);
}

static inline void dom_unlock(struct dc_lock *lock)
{
	dom_svc->unlock(lock);
}

/* ------------------------------------------------------------------ */
/*
 * Parameters: "key=value" words separated by spaces or commas, e.g.
 * "size=4k,fail_init=1".  When a key appears twice the last one counts.
 * Each helper logs a clear message itself before returning -EINVAL.
 */

/* Decimal or 0x-hex, optional k/m/g suffix (x1024).  0 or -EINVAL. */
int dom_param_u64(const char *params, const char *key, uint64_t def,
		  uint64_t *out);
/* The same number syntax for any string: 0 or -EINVAL (no log line). */
int dom_parse_u64(const char *s, uint64_t *out);
/* 0/1, y/n, yes/no, true/false, on/off.  0 or -EINVAL. */
int dom_param_bool(const char *params, const char *key, bool def, bool *out);
/* Copies the value (or @def) into @buf; -EINVAL if it does not fit. */
int dom_param_str(const char *params, const char *key, const char *def,
		  char *buf, size_t size);
/*
 * -EINVAL (and a log line naming it) for a malformed word or a key not in
 * the NULL-terminated @keys (NULL: the domain takes no parameters).
 */
int dom_params_allow(const char *params, const char *const *keys);
#define DOM_PARAMS_ALLOW(params, ...)					\
	dom_params_allow(params, (const char *const []){ __VA_ARGS__, NULL })

/* ------------------------------------------------------------------ */
/* Strings and memory.  gcc may call the mem* functions by these names. */

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strchrnul(const char *s, int c);	/* the NUL if @c is not in @s */
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);
void *memmem(const void *hay, size_t hlen, const void *needle, size_t nlen);
char *strstr(const char *hay, const char *needle);
/* strstr() within the first @len bytes of @hay. */
char *strnstr(const char *hay, const char *needle, size_t len);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
/* Splits *@sp at the first byte of @delim: the token, *@sp past it or NULL. */
char *strsep(char **sp, const char *delim);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
/* Copies with truncation, always NUL-terminated: length, or -E2BIG. */
long strscpy(char *dst, const char *src, size_t size);
/*
 * C's conversions, without errno: a value that does not fit gives the
 * type's limit (ULLONG_MAX, LLONG_MAX, LLONG_MIN); *@end (if @end is not
 * NULL) is left at @s when there are no digits.  dom_parse_u64() is the
 * strict form (the whole string, k/m/g suffixes, -EINVAL).
 */
unsigned long long strtoull(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);

/* <ctype.h>, for ASCII (the "C" locale); @c is an unsigned char or EOF. */
static inline int isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int isupper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int islower(int c) { return c >= 'a' && c <= 'z'; }
static inline int isalpha(int c) { return isupper(c) || islower(c); }
static inline int isalnum(int c) { return isalpha(c) || isdigit(c); }
static inline int isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline int isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static inline int iscntrl(int c) { return (c >= 0 && c < 32) || c == 127; }
static inline int isprint(int c) { return c >= 32 && c < 127; }
static inline int isgraph(int c) { return c > 32 && c < 127; }
static inline int ispunct(int c) { return isgraph(c) && !isalnum(c); }
static inline int tolower(int c) { return isupper(c) ? c + 32 : c; }
static inline int toupper(int c) { return islower(c) ? c - 32 : c; }

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__dom_printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __dom_printf(3, 4);

/*
 * -ffreestanding turns builtins off; these let gcc inline small
 * constant-size copies again and fall back to libdomain otherwise.
 */
#ifndef DOM_NO_BUILTIN_MACROS
#define memcpy(d, s, n)		__builtin_memcpy(d, s, n)
#define memmove(d, s, n)	__builtin_memmove(d, s, n)
#define memset(d, c, n)		__builtin_memset(d, c, n)
#define memcmp(a, b, n)		__builtin_memcmp(a, b, n)
#define strlen(s)		__builtin_strlen(s)
#endif

/*
 * Bounds-checked helpers: a bad length is a bug, so they fail the
 * instance (naming the caller's file:line) instead of corrupting memory.
 */
void *dom__memcpy_checked(void *dst, size_t dstsz, const void *src, size_t n,
			  const char *file, int line);
void *dom__memset_checked(void *dst, size_t dstsz, int c, size_t n,
			  const char *file, int line);
void dom__bounds_fail(uint64_t off, uint64_t len, uint64_t size,
		      const char *file, int line) __dom_noreturn;
#define dom_memcpy_checked(dst, dstsz, src, n)				\
	dom__memcpy_checked(dst, dstsz, src, n, __FILE__, __LINE__)
#define dom_memset_checked(dst, dstsz, c, n)				\
	dom__memset_checked(dst, dstsz, c, n, __FILE__, __LINE__)
/* Panics unless [off, off + len) lies inside [0, size). */
#define DOM_CHECK_BOUNDS(off, len, size)				\
	do {								\
		uint64_t o_ = (off), l_ = (len), s_ = (size);		\
		if (dom_unlikely(o_ > s_ || l_ > s_ - o_))		\
			dom__bounds_fail(o_, l_, s_, __FILE__, __LINE__); \
	} while (0)

/* ------------------------------------------------------------------ */
/*
 * DOMAIN_DEFINE(name, iface, version, needs...)
 * DOMAIN_DEFINE_STATEFUL(name, iface, version, needs...)
 *
 * @name and @version are string literals (at most 31 characters), @iface
 * and each of the (at most DC_MAX_NEEDS) @needs interface names as in
 * domain/iface/all.h.  Emits the image's note, and for every interface in
 * @needs an enum constant DOM_IMPORT_<iface> (its index in the note) and
 * a client stub per method:
 *
 *	static inline long <iface>_<method>(<parameters>);
 *
 * e.g. log_write(level, record), which calls the imported domain through
 * the TCB.  Use it once per domain, at file scope, before using the stubs.
 * A stateful domain must set out->state_export and out->state_import in
 * dom_init(); a stateless one must leave them NULL.
 */
#define DOMAIN_DEFINE(name, iface, version, ...)			\
	DOM__DEFINE(name, iface, version, 0, ##__VA_ARGS__)
#define DOMAIN_DEFINE_STATEFUL(name, iface, version, ...)		\
	DOM__DEFINE(name, iface, version, DC_NOTE_F_STATEFUL, ##__VA_ARGS__)

/* The ELF note as it sits in .note.domain: header, owner, descriptor. */
struct dom_elf_note {
	uint32_t namesz;
	uint32_t descsz;
	uint32_t type;
	char owner[(sizeof(DC_NOTE_OWNER) + 3) & ~3];
	struct dc_note desc;
};
extern const struct dom_elf_note dom__note;

#define DOM__CAT_(a, b)		a##b
#define DOM__CAT(a, b)		DOM__CAT_(a, b)
/* The number of arguments after the first, up to 8. */
#define DOM__COUNT(...)		DOM__COUNT_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define DOM__COUNT_(_f, _1, _2, _3, _4, _5, _6, _7, _8, n, ...)	n

/* m(index, need) for each need; more than 4 is caught by a static assert. */
#define DOM__EACH(m, n, ...)	DOM__CAT(DOM__EACH_, n)(m, ##__VA_ARGS__)
#define DOM__EACH_0(m)
#define DOM__EACH_1(m, a)		m(0, a)
#define DOM__EACH_2(m, a, b)		m(0, a) m(1, b)
#define DOM__EACH_3(m, a, b, c)		m(0, a) m(1, b) m(2, c)
#define DOM__EACH_4(m, a, b, c, d)	m(0, a) m(1, b) m(2, c) m(3, d)
#define DOM__EACH_5(m, a, b, c, d, ...)	DOM__EACH_4(m, a, b, c, d)
#define DOM__EACH_6			DOM__EACH_5
#define DOM__EACH_7			DOM__EACH_5
#define DOM__EACH_8			DOM__EACH_5

#define DOM__NEED(_i, _x)						\
	[_i] = { .iface = #_x, .version = DC_IFACE_##_x##_VERSION },
#define DOM__IMPORT(_i, _x)	DOM_IMPORT_##_x = _i,
#define DOM__STUBS(_i, _x)	DC_IFACE_##_x(DOM__STUB, _x)
#define DOM__STUB(_x, _ret, _m, _mask, _params, _args)			\
	static inline _ret _x##_##_m _params				\
	{								\
		return (_ret)dom_svc->call(dom_self, DOM_IMPORT_##_x,	\
					   DC_M_##_x##_##_m,		\
					   DC_U64_ARGS _args);		\
	}

/* Built with the SDK's store checks (-fsanitize=kernel-address, asan.c). */
#ifdef __SANITIZE_ADDRESS__
#define DOM__CONFINED		DC_NOTE_F_CONFINED
#else
#define DOM__CONFINED		0
#endif

#define DOM__DEFINE(_name, _iface, _version, _flags, ...)		\
	_Static_assert(DOM__COUNT(_flags, ##__VA_ARGS__) <= DC_MAX_NEEDS, \
		       "a domain imports at most DC_MAX_NEEDS interfaces"); \
	_Static_assert(sizeof(_name) <= DC_NAME_MAX,			\
		       "domain name longer than 31 characters");	\
	_Static_assert(sizeof(_name) > 1, "empty domain name");	\
	_Static_assert(sizeof(_version) <= DC_NAME_MAX,		\
		       "domain version longer than 31 characters");	\
	__attribute__((section(".note.domain"), used, aligned(4)))	\
	const struct dom_elf_note dom__note = {				\
		.namesz = sizeof(DC_NOTE_OWNER),			\
		.descsz = sizeof(struct dc_note),			\
		.type = DC_NOTE_TYPE,					\
		.owner = DC_NOTE_OWNER,					\
		.desc = {						\
			.abi_version = DC_ABI_VERSION,			\
			.iface_version = DC_IFACE_##_iface##_VERSION,	\
			.nr_needs = DOM__COUNT(_flags, ##__VA_ARGS__),	\
			.flags = (_flags) | DOM__CONFINED,		\
			.name = _name,					\
			.iface = #_iface,				\
			.version = _version,				\
			.needs = { DOM__EACH(DOM__NEED,			\
				DOM__COUNT(_flags, ##__VA_ARGS__),	\
				##__VA_ARGS__) },			\
		},							\
	};								\
	enum {								\
		DOM__EACH(DOM__IMPORT, DOM__COUNT(_flags, ##__VA_ARGS__), \
			  ##__VA_ARGS__)				\
		DOM_NR_IMPORTS						\
	};								\
	DOM__EACH(DOM__STUBS, DOM__COUNT(_flags, ##__VA_ARGS__),	\
		  ##__VA_ARGS__)					\
	struct dom__define_needs_a_semicolon

#pragma GCC visibility pop

#endif
