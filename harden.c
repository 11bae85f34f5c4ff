/*
 * harden.c: RELRO made true. The linker marks the relocated pointers a
 * program keeps (.got, .init_array, .fini_array, .dynamic, tables of
 * pointers) as GNU_RELRO, to be made read-only once they are relocated,
 * so that an overwrite cannot redirect them. A dynamic loader does that;
 * in a static PIE nobody may: musl's start-up relocates the program itself
 * and leaves the pages writable. pidone applies the header itself, first
 * thing in main, where nothing can have been overwritten yet. Doing it
 * again where the C library did it already changes nothing.
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harden.h"
#include "out.h"

/* The ELF header, loaded at the start of the program's first segment. */
extern const ElfW(Ehdr) __ehdr_start;

/*
 * Make the GNU_RELRO range read-only. The linker pads its end to a page;
 * its start is rounded down, as loaders do, and what lies before it on
 * that page is read-only already.
 */
void
harden_relro(void)
{
	uintptr_t base = (uintptr_t)&__ehdr_start;
	uintptr_t page = (uintptr_t)getpagesize();
	const ElfW(Phdr) *ph = (const void *)(base + __ehdr_start.e_phoff);
	uintptr_t lo, hi;
	int i;

	for (i = 0; i < __ehdr_start.e_phnum; i++) {
		if (ph[i].p_type != PT_GNU_RELRO)
			continue;
		lo = (base + ph[i].p_vaddr) & -page;
		hi = (base + ph[i].p_vaddr + ph[i].p_memsz) & -page;
		if (hi > lo && mprotect((void *)lo, hi - lo, PROT_READ) < 0)
			warn("cannot make its relocated pointers read-only: %s",
			    errstr(errno));
	}
}
