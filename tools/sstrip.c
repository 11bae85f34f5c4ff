/*
 * sstrip FILE: drop what a static ELF executable carries but never needs
 * to run: the section header table, and whatever lies after the last byte
 * the program headers load. The kernel maps segments, not sections, so the
 * program runs the same; only tools that read sections (objdump, gdb) see
 * less, and `strip -s` has left them little to see already. Run by the
 * Makefile on every pidone it links, for every architecture of `make dist`:
 * 32- and 64-bit ELF, either byte order, whatever the host's. It saves
 * about 1.6 KB of a 28 KB x86-64 binary (the section headers, .comment and
 * .shstrtab).
 */
#include <elf.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int big;		/* the file is big-endian */

/* Read an N-byte unsigned field of the file's byte order at P. */
static uint64_t
get(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* Write V as an N-byte unsigned field of the file's byte order at P. */
static void
put(unsigned char *p, int n, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

int
main(int argc, char **argv)
{
	unsigned char eh[sizeof(Elf64_Ehdr)], ph[sizeof(Elf64_Phdr)];
	uint64_t phoff, end, off, filesz;
	int fd, i, is64, phnum, phentsize, ehsize;

	if (argc != 2 || (fd = open(argv[1], O_RDWR)) < 0) {
		fprintf(stderr, "usage: sstrip FILE (a writable ELF file)\n");
		return 2;
	}
	if (pread(fd, eh, EI_NIDENT, 0) != EI_NIDENT ||
	    memcmp(eh, ELFMAG, SELFMAG) != 0 ||
	    (eh[EI_CLASS] != ELFCLASS32 && eh[EI_CLASS] != ELFCLASS64) ||
	    (eh[EI_DATA] != ELFDATA2LSB && eh[EI_DATA] != ELFDATA2MSB)) {
		fprintf(stderr, "sstrip: %s: not an ELF file\n", argv[1]);
		return 1;
	}
	is64 = eh[EI_CLASS] == ELFCLASS64;
	big = eh[EI_DATA] == ELFDATA2MSB;
	ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (pread(fd, eh, ehsize, 0) != ehsize) {
		fprintf(stderr, "sstrip: %s: short ELF header\n", argv[1]);
		return 1;
	}
	phoff = is64 ? get(eh + offsetof(Elf64_Ehdr, e_phoff), 8) :
	    get(eh + offsetof(Elf32_Ehdr, e_phoff), 4);
	phentsize = get(eh + (is64 ? offsetof(Elf64_Ehdr, e_phentsize) :
	    offsetof(Elf32_Ehdr, e_phentsize)), 2);
	phnum = get(eh + (is64 ? offsetof(Elf64_Ehdr, e_phnum) :
	    offsetof(Elf32_Ehdr, e_phnum)), 2);
	if (phentsize != (int)(is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
	    phnum == 0) {
		fprintf(stderr, "sstrip: %s: no program headers\n", argv[1]);
		return 1;
	}
	end = phoff + (uint64_t)phnum * phentsize;
	for (i = 0; i < phnum; i++) {
		if (pread(fd, ph, phentsize, phoff + (uint64_t)i * phentsize) !=
		    phentsize) {
			fprintf(stderr, "sstrip: %s: short program header\n",
			    argv[1]);
			return 1;
		}
		if (is64) {
			off = get(ph + offsetof(Elf64_Phdr, p_offset), 8);
			filesz = get(ph + offsetof(Elf64_Phdr, p_filesz), 8);
		} else {
			off = get(ph + offsetof(Elf32_Phdr, p_offset), 4);
			filesz = get(ph + offsetof(Elf32_Phdr, p_filesz), 4);
		}
		if (off + filesz > end)
			end = off + filesz;
	}
	/* No section headers: e_shoff, e_shnum and e_shstrndx all zero. */
	if (is64) {
		put(eh + offsetof(Elf64_Ehdr, e_shoff), 8, 0);
		put(eh + offsetof(Elf64_Ehdr, e_shnum), 2, 0);
		put(eh + offsetof(Elf64_Ehdr, e_shstrndx), 2, SHN_UNDEF);
	} else {
		put(eh + offsetof(Elf32_Ehdr, e_shoff), 4, 0);
		put(eh + offsetof(Elf32_Ehdr, e_shnum), 2, 0);
		put(eh + offsetof(Elf32_Ehdr, e_shstrndx), 2, SHN_UNDEF);
	}
	if (pwrite(fd, eh, ehsize, 0) != ehsize ||
	    ftruncate(fd, (off_t)end) < 0) {
		perror("sstrip");
		return 1;
	}
	return close(fd) < 0;
}
