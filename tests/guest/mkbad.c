// SPDX-License-Identifier: GPL-2.0
/*
 * mkbad: write malformed variants of a good domain image, for the tests
 * that check the kernel refuses each one with the right errno.
 *
 *   mkbad GOOD.dom OUTDIR
 *
 * Writes OUTDIR/CASE.dom for every case and prints one manifest line per
 * case on stdout:
 *
 *   CASE ERRNO_NAME ERRNO_NUMBER REGEX
 *
 * e.g. "wrong-machine ENOEXEC 8 machine|x86".  REGEX (extended, matched
 * case-insensitively, no spaces) is a loose pattern that the error message
 * naming the problem matches, whether it comes from the kernel or from
 * "domainctl verify".  Exit status 0, or 2 if GOOD is not a domain image
 * this program understands.
 *
 * Every variant also gets the note name "mkbad", so that no case fails
 * merely because a domain of the original name is loaded (EEXIST comes
 * before some of the checks we want to reach), and so that anything loaded
 * by mistake can be unloaded by that name.
 *
 * The unit tests (tests/unit, unit/mkbad-*) run this on the host and check
 * every expectation against the parser the kernel uses.
 */
#define _POSIX_C_SOURCE 200809L
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * From domains/sdk/include/domain/abi.h, which guest programs are not
 * built against; keep in step with it (the size check below helps).
 */
#define NOTE_OWNER	"domain"
#define NOTE_TYPE	0x444f4d31	/* DC_NOTE_TYPE */
#define NOTE_NAME_MAX	32		/* DC_NAME_MAX */
#define NOTE_MAX_NEEDS	4		/* DC_MAX_NEEDS */

struct note_need {
	char iface[NOTE_NAME_MAX];
	uint32_t version;
	uint32_t reserved;
};

/* Addresses: 64 bits aligned to 4, as a note's descriptor is (dc_note_addr_t). */
typedef uint64_t note_addr_t __attribute__((aligned(4)));

/* struct dc_confinement: zero in the file, filled in by the TCB. */
struct note_confinement {
	note_addr_t arena_base;
	note_addr_t arena_mapped;
	note_addr_t shadow;
	uint8_t self_id;
	uint8_t store_id;
	uint8_t reserved[6];
};

struct note {
	uint32_t abi_version;
	uint32_t iface_version;
	uint32_t nr_needs;
	uint32_t flags;
	char name[NOTE_NAME_MAX];
	char iface[NOTE_NAME_MAX];
	char version[NOTE_NAME_MAX];
	struct note_need needs[NOTE_MAX_NEEDS];
	struct note_confinement confinement;
};

_Static_assert(sizeof(struct note) == 304, "struct note differs from struct dc_note");

/* Far above the loader's cap on a domain's size (DC_ELF_MAX_SPAN, 64 MiB). */
#define HUGE_MEMSZ	(1ULL << 30)
#define PAGE		4096ULL

/* An interface the TCB knows but that no domain provides in the test. */
#define ABSENT_IFACE	"bench"
#define ABSENT_VERSION	1

/* Loose patterns for the message that names each kind of problem. */
#define RE_TRUNC	"truncat|empty|past.the.end|end.of.the.file|not.an.ELF|unreadable|too.short"

struct img {
	unsigned char *b;
	size_t len;
};

static const char *outdir;
static int nr_written;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mkbad: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static int within(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

static Elf64_Ehdr *eh(struct img *m)
{
	return (Elf64_Ehdr *)m->b;
}

static Elf64_Phdr *ph(struct img *m, unsigned int i)
{
	return (Elf64_Phdr *)(m->b + eh(m)->e_phoff) + i;
}

static Elf64_Shdr *sh(struct img *m, unsigned int i)
{
	return (Elf64_Shdr *)(m->b + eh(m)->e_shoff) + i;
}

/* The @nth PT_LOAD with a non-zero size, or NULL. */
static Elf64_Phdr *load(struct img *m, unsigned int nth)
{
	for (unsigned int i = 0; i < eh(m)->e_phnum; i++)
		if (ph(m, i)->p_type == PT_LOAD && ph(m, i)->p_memsz && !nth--)
			return ph(m, i);
	return NULL;
}

static Elf64_Phdr *load_with(struct img *m, uint32_t flag)
{
	for (unsigned int n = 0; load(m, n); n++)
		if (load(m, n)->p_flags & flag)
			return load(m, n);
	return NULL;
}

static uint64_t span_of(struct img *m)
{
	uint64_t span = 0;

	for (unsigned int n = 0; load(m, n); n++) {
		Elf64_Phdr *p = load(m, n);

		span = (p->p_vaddr + p->p_memsz + PAGE - 1) & ~(PAGE - 1);
	}
	return span;
}

/* The domain note: owner "domain" in an SHT_NOTE section. */
static Elf64_Nhdr *note_hdr(struct img *m)
{
	for (unsigned int i = 0; i < eh(m)->e_shnum; i++) {
		Elf64_Shdr *s = sh(m, i);
		uint64_t off = 0;

		if (s->sh_type != SHT_NOTE)
			continue;
		while (within(off, sizeof(Elf64_Nhdr), s->sh_size)) {
			Elf64_Nhdr *nh = (Elf64_Nhdr *)(m->b + s->sh_offset + off);
			uint64_t name = off + sizeof(*nh);
			uint64_t desc = name + ((nh->n_namesz + 3ULL) & ~3ULL);

			if (!within(desc, nh->n_descsz, s->sh_size))
				break;
			if (nh->n_namesz == sizeof(NOTE_OWNER) &&
			    !memcmp(m->b + s->sh_offset + name, NOTE_OWNER, sizeof(NOTE_OWNER)) &&
			    nh->n_type == NOTE_TYPE && nh->n_descsz == sizeof(struct note))
				return nh;
			off = desc + ((nh->n_descsz + 3ULL) & ~3ULL);
		}
	}
	return NULL;
}

static struct note *note(struct img *m)
{
	Elf64_Nhdr *nh = note_hdr(m);

	return nh ? (struct note *)((unsigned char *)(nh + 1) +
				    ((nh->n_namesz + 3U) & ~3U)) : NULL;
}

/* The first relocation that does something (not R_X86_64_NONE). */
static Elf64_Rela *first_rela(struct img *m)
{
	for (unsigned int i = 0; i < eh(m)->e_shnum; i++) {
		Elf64_Shdr *s = sh(m, i);
		Elf64_Rela *r = (Elf64_Rela *)(m->b + s->sh_offset);

		if (s->sh_type != SHT_RELA || s->sh_entsize != sizeof(*r))
			continue;
		for (uint64_t k = 0; k < s->sh_size / sizeof(*r); k++)
			if (ELF64_R_TYPE(r[k].r_info) != R_X86_64_NONE)
				return &r[k];
	}
	return NULL;
}

/* A defined function symbol, dc_domain_entry if there is one. */
static Elf64_Sym *defined_symbol(struct img *m)
{
	static const uint32_t types[] = { SHT_DYNSYM, SHT_SYMTAB };
	Elf64_Sym *any = NULL;

	for (unsigned int t = 0; t < 2; t++) {
		for (unsigned int i = 0; i < eh(m)->e_shnum; i++) {
			Elf64_Shdr *s = sh(m, i), *str;
			Elf64_Sym *sym = (Elf64_Sym *)(m->b + s->sh_offset);

			if (s->sh_type != types[t] || s->sh_link >= eh(m)->e_shnum)
				continue;
			str = sh(m, s->sh_link);
			for (uint64_t k = 1; k < s->sh_size / sizeof(*sym); k++) {
				if (sym[k].st_shndx == SHN_UNDEF || sym[k].st_shndx >= SHN_LORESERVE ||
				    ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC)
					continue;
				if (sym[k].st_name < str->sh_size &&
				    !strcmp((char *)m->b + str->sh_offset + sym[k].st_name,
					    "dc_domain_entry"))
					return &sym[k];
				if (!any)
					any = &sym[k];
			}
		}
	}
	return any;
}

/* Refuse inputs the helpers above would read out of bounds. */
static void check_good(struct img *m)
{
	if (m->len < sizeof(Elf64_Ehdr) || memcmp(m->b, ELFMAG, SELFMAG) ||
	    m->b[EI_CLASS] != ELFCLASS64)
		die("%s", "input is not an ELF64 file");
	if (eh(m)->e_phentsize != sizeof(Elf64_Phdr) || eh(m)->e_shentsize != sizeof(Elf64_Shdr) ||
	    !within(eh(m)->e_phoff, eh(m)->e_phnum * sizeof(Elf64_Phdr), m->len) ||
	    !within(eh(m)->e_shoff, eh(m)->e_shnum * sizeof(Elf64_Shdr), m->len) ||
	    eh(m)->e_phoff % 8 || eh(m)->e_shoff % 8)
		die("%s", "input has bad header tables");
	for (unsigned int i = 0; i < eh(m)->e_shnum; i++)
		if (sh(m, i)->sh_type != SHT_NOBITS && sh(m, i)->sh_type != SHT_NULL &&
		    !within(sh(m, i)->sh_offset, sh(m, i)->sh_size, m->len))
			die("%s", "input has a section outside the file");
	for (unsigned int i = 0; i < eh(m)->e_shnum; i++)
		if ((sh(m, i)->sh_type == SHT_SYMTAB || sh(m, i)->sh_type == SHT_DYNSYM) &&
		    (sh(m, i)->sh_link >= eh(m)->e_shnum ||
		     sh(m, i)->sh_entsize != sizeof(Elf64_Sym)))
			die("%s", "input has a bad symbol table");
	if (!note(m))
		die("%s", "input has no domain note");
	if (!load(m, 1) || !load_with(m, PF_X) || !load_with(m, PF_W))
		die("%s", "input lacks the SDK's text, rodata and data segments");
}

static void emit(const char *name, int err, const char *errname, const char *re,
		 const unsigned char *b, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dom", outdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, len, f) != len || fclose(f))
		die("cannot write %s", path);
	printf("%s %s %d %s\n", name, errname, err, re);
	nr_written++;
}

/* ---- the cases: each damages one thing; -1 if it cannot here ---- */

static int wrong_machine(struct img *m) { eh(m)->e_machine = EM_386; return 0; }
static int et_exec(struct img *m) { eh(m)->e_type = ET_EXEC; return 0; }

static int undefined_symbol(struct img *m)
{
	Elf64_Sym *s = defined_symbol(m);

	if (!s)
		return -1;
	s->st_shndx = SHN_UNDEF;	/* keeps its name, as an unresolved import */
	return 0;
}

static int wx_segment(struct img *m)
{
	load_with(m, PF_X)->p_flags |= PF_W;
	return 0;
}

/* The second segment starts on the first one's last page. */
static int overlapping_segments(struct img *m)
{
	Elf64_Phdr *a = load(m, 0), *b = load(m, 1);

	b->p_vaddr = (a->p_vaddr + a->p_memsz - 1) & ~(PAGE - 1);
	return 0;
}

static int misaligned_segment(struct img *m)
{
	load(m, 1)->p_vaddr += 16;
	return 0;
}

static int huge_memsz(struct img *m)
{
	load_with(m, PF_W)->p_memsz = HUGE_MEMSZ;
	return 0;
}

static int tls_segment(struct img *m)
{
	for (unsigned int i = 0; i < eh(m)->e_phnum; i++) {
		if (ph(m, i)->p_type == PT_NOTE || ph(m, i)->p_type == PT_DYNAMIC) {
			ph(m, i)->p_type = PT_TLS;
			return 0;
		}
	}
	return -1;
}

static int reloc_out_of_range(struct img *m)
{
	Elf64_Rela *r = first_rela(m);

	if (!r)
		return -1;
	r->r_offset = span_of(m) + 0x100000;
	return 0;
}

static int reloc_target_outside(struct img *m)
{
	Elf64_Rela *r = first_rela(m);

	if (!r || ELF64_R_TYPE(r->r_info) != R_X86_64_RELATIVE)
		return -1;
	r->r_addend = (int64_t)span_of(m) + 0x1000;
	return 0;
}

static int reloc_unknown_type(struct img *m)
{
	Elf64_Rela *r = first_rela(m);

	if (!r)
		return -1;
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_PC32);
	return 0;
}

/* Owner "Domain": a note, but not ours. */
static int no_note(struct img *m)
{
	((char *)(note_hdr(m) + 1))[0] = 'D';
	return 0;
}

static int bad_note(struct img *m)
{
	memset(note(m)->name, 0, NOTE_NAME_MAX);
	strcpy(note(m)->name, "Bad/Name");
	return 0;
}

static int bad_note_empty(struct img *m)
{
	memset(note(m)->version, 0, NOTE_NAME_MAX);
	return 0;
}

static int bad_note_size(struct img *m)
{
	note_hdr(m)->n_descsz -= 4;
	return 0;
}

static int bad_note_needs(struct img *m)
{
	note(m)->nr_needs = NOTE_MAX_NEEDS + 1;
	return 0;
}

static int abi_mismatch(struct img *m)
{
	note(m)->abi_version++;
	return 0;
}

static int unknown_interface(struct img *m)
{
	memset(note(m)->iface, 0, NOTE_NAME_MAX);
	strcpy(note(m)->iface, "nosuch");
	return 0;
}

/* One more need, of @iface at @version; -1 if the note is full. */
static int add_need(struct img *m, const char *iface, uint32_t version)
{
	struct note *n = note(m);
	struct note_need *need;

	if (n->nr_needs >= NOTE_MAX_NEEDS)
		return -1;
	need = &n->needs[n->nr_needs++];
	memset(need, 0, sizeof(*need));
	strcpy(need->iface, iface);
	need->version = version;
	return 0;
}

static int need_unknown_interface(struct img *m)
{
	return add_need(m, "nosuch", 1);
}

static int missing_need(struct img *m)
{
	return add_need(m, ABSENT_IFACE, ABSENT_VERSION);
}

static int unknown_flags(struct img *m)
{
	note(m)->flags |= 0x80000000u;
	return 0;
}

/*
 * The segment holding the note made writable: the TCB fills the note in
 * and relies on it being write-protected afterwards.
 */
static int note_writable(struct img *m)
{
	uint64_t off = (uint64_t)((unsigned char *)note(m) - m->b);

	for (unsigned int n = 0; load(m, n); n++) {
		if (off - load(m, n)->p_offset < load(m, n)->p_filesz) {
			load(m, n)->p_flags = PF_R | PF_W;
			return 0;
		}
	}
	return -1;
}

/* Set @flag on the first section of @type; -1 if there is none. */
static int flag_section(struct img *m, uint32_t type, uint64_t flag)
{
	for (unsigned int i = 0; i < eh(m)->e_shnum; i++) {
		if (sh(m, i)->sh_type == type) {
			sh(m, i)->sh_flags |= flag;
			return 0;
		}
	}
	return -1;
}

static int compressed_symtab(struct img *m)
{
	return flag_section(m, SHT_SYMTAB, SHF_COMPRESSED);
}

/* What the linker makes of __thread without a PT_TLS: .tbss. */
static int tls_section(struct img *m)
{
	return flag_section(m, SHT_NOBITS, SHF_TLS);
}

#define E(e)	e, #e

static const struct {
	const char *name;
	int err;
	const char *errname;
	const char *re;
	int (*mutate)(struct img *m);
} cases[] = {
	{ "wrong-machine", E(ENOEXEC), "machine|x86", wrong_machine },
	{ "et-exec", E(ENOEXEC), "ET_EXEC|ET_DYN|position", et_exec },
	{ "undefined-symbol", E(ENOENT), "undefined", undefined_symbol },
	{ "wx-segment", E(EACCES), "writable|W.X", wx_segment },
	{ "overlapping-segments", E(EINVAL), "overlap", overlapping_segments },
	{ "misaligned-segment", E(EINVAL), "align|page.boundary", misaligned_segment },
	{ "huge-memsz", E(EFBIG), "MiB|cap|too.(big|large)|exceed", huge_memsz },
	{ "tls-segment", E(ENOEXEC), "thread|TLS", tls_segment },
	{ "tls-section", E(ENOEXEC), "thread|TLS", tls_section },
	{ "reloc-out-of-range", E(ERANGE), "outside|range", reloc_out_of_range },
	{ "reloc-target-outside", E(ERANGE), "outside|range", reloc_target_outside },
	{ "reloc-unknown-type", E(EOPNOTSUPP), "unsupported|not.allowed|relocation.type",
	  reloc_unknown_type },
	{ "compressed-symtab", E(EINVAL), "compress", compressed_symtab },
	{ "no-note", E(EBADMSG), "note", no_note },
	{ "bad-note", E(EBADMSG), "name", bad_note },
	{ "bad-note-empty", E(EBADMSG), "empty", bad_note_empty },
	{ "bad-note-size", E(EBADMSG), "note", bad_note_size },
	{ "bad-note-needs", E(EBADMSG), "need", bad_note_needs },
	{ "bad-note-flags", E(EBADMSG), "flags", unknown_flags },
	{ "note-writable", E(EBADMSG), "read-only", note_writable },
	{ "abi-mismatch", E(EPROTO), "ABI", abi_mismatch },
	{ "unknown-interface", E(EPROTONOSUPPORT), "interface|nosuch", unknown_interface },
	{ "need-unknown-interface", E(EPROTONOSUPPORT), "interface|nosuch", need_unknown_interface },
	{ "missing-need", E(ENOLINK), ABSENT_IFACE "|interface", missing_need },
};

/*
 * Truncations.  The parser checks, in this order, that the ELF header, the
 * program and section header tables, every PT_LOAD's bytes and every
 * section's bytes lie in the file, and refuses the first that does not
 * with ENODATA; nothing a cut removes can make an earlier check of a good
 * image fail.  So a cut is ENODATA exactly when it loses something one of
 * those checks covers, and a cut that loses nothing is not a case.
 */
static int cut_loses_something(struct img *m, uint64_t cut)
{
	if (cut < sizeof(Elf64_Ehdr) ||
	    !within(eh(m)->e_phoff, eh(m)->e_phnum * sizeof(Elf64_Phdr), cut) ||
	    !within(eh(m)->e_shoff, eh(m)->e_shnum * sizeof(Elf64_Shdr), cut))
		return 1;
	for (unsigned int i = 0; i < eh(m)->e_phnum; i++)
		if (ph(m, i)->p_type == PT_LOAD &&
		    !within(ph(m, i)->p_offset, ph(m, i)->p_filesz, cut))
			return 1;
	for (unsigned int i = 0; i < eh(m)->e_shnum; i++)
		if (sh(m, i)->sh_type != SHT_NOBITS && sh(m, i)->sh_type != SHT_NULL &&
		    !within(sh(m, i)->sh_offset, sh(m, i)->sh_size, cut))
			return 1;
	return 0;
}

static void truncations(struct img *m)
{
	uint64_t cuts[32];
	unsigned int n = 0;

	/* Inside the ELF header, at its end, and just into the phdrs. */
	cuts[n++] = 0;
	cuts[n++] = 1;
	cuts[n++] = 16;
	cuts[n++] = sizeof(Elf64_Ehdr) - 1;
	cuts[n++] = sizeof(Elf64_Ehdr);
	cuts[n++] = eh(m)->e_phoff + 1;
	cuts[n++] = eh(m)->e_phoff + eh(m)->e_phnum * sizeof(Elf64_Phdr);
	for (unsigned int k = 0; load(m, k) && n < 28; k++)
		if (load(m, k)->p_filesz)
			cuts[n++] = load(m, k)->p_offset + load(m, k)->p_filesz / 2;
	cuts[n++] = eh(m)->e_shoff;
	cuts[n++] = m->len - 1;

	for (unsigned int i = 0; i < n; i++) {
		char name[64];
		int dup = 0;

		for (unsigned int j = 0; j < i; j++)
			dup |= cuts[j] == cuts[i];
		if (dup || cuts[i] >= m->len || !cut_loses_something(m, cuts[i]))
			continue;
		snprintf(name, sizeof(name), "trunc-%llu", (unsigned long long)cuts[i]);
		emit(name, E(ENODATA), RE_TRUNC, m->b, cuts[i]);
	}
}

static void read_image(const char *path, struct img *m)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read %s", path);
	m->len = (size_t)size;
	m->b = malloc(m->len ? m->len : 1);
	if (!m->b || fread(m->b, 1, m->len, f) != m->len)
		die("cannot read %s", path);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct img good, m;

	if (argc != 3) {
		fprintf(stderr, "usage: mkbad GOOD.dom OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	if (mkdir(outdir, 0755) && errno != EEXIST)
		die("cannot create %s", outdir);
	read_image(argv[1], &good);
	check_good(&good);
	memset(note(&good)->name, 0, NOTE_NAME_MAX);
	strcpy(note(&good)->name, "mkbad");

	truncations(&good);
	m.b = malloc(good.len);
	if (!m.b)
		die("%s", "out of memory");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(m.b, good.b, good.len);
		m.len = good.len;
		if (cases[i].mutate(&m)) {
			fprintf(stderr, "mkbad: %s does not apply to %s\n", cases[i].name, argv[1]);
			continue;
		}
		emit(cases[i].name, cases[i].err, cases[i].errname, cases[i].re, m.b, m.len);
	}
	free(m.b);
	free(good.b);
	return nr_written ? 0 : 2;
}
