/*
 * sstrip FILE: drop what a static ELF64 executable carries but never needs
 * to run: the section header table, and whatever lies after the last byte
 * the program headers load. The kernel maps segments, not sections, so the
 * program runs the same; only tools that read sections (objdump, gdb) see
 * less, and `strip -s` has left them little to see already. Run by the
 * Makefile on pidone; about a kilobyte of a 27 KB binary.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Off end = 0;
	int fd, i;

	if (argc != 2 || (fd = open(argv[1], O_RDWR)) < 0) {
		fprintf(stderr, "usage: sstrip FILE (a writable ELF64 file)\n");
		return 2;
	}
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(ph)) {
		fprintf(stderr, "sstrip: %s: not an ELF64 file\n", argv[1]);
		return 1;
	}
	end = eh.e_phoff + (Elf64_Off)eh.e_phnum * sizeof(ph);
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph)) {
			fprintf(stderr, "sstrip: %s: short program header\n",
			    argv[1]);
			return 1;
		}
		if (ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
	}
	eh.e_shoff = 0;
	eh.e_shnum = 0;
	eh.e_shstrndx = SHN_UNDEF;
	if (pwrite(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    ftruncate(fd, (off_t)end) < 0) {
		perror("sstrip");
		return 1;
	}
	return close(fd) < 0;
}
