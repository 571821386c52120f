/*
 * Naming an address of another process: which mapping holds it, which
 * ELF file that mapping comes from, and which symbol of the file's
 * .symtab (or, for a stripped file, .dynsym) contains it. The file is
 * read with <elf.h> alone: a handful of headers and two tables do not
 * justify a libelf dependency.
 */
#include "symbolize.h"

#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct mapping {
	uint64_t start, end, offset;
	char *path;
};

/* The file-backed mapping of pid that contains addr. */
static bool find_mapping(pid_t pid, uint64_t addr, struct mapping *m)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	char *maps = read_file(path, NULL);
	if (!maps)
		return false;
	bool found = false;
	for (char *line = strtok(maps, "\n"); line && !found; line = strtok(NULL, "\n")) {
		unsigned long long start, end, off, ino;
		int name = 0;
		if (sscanf(line, "%llx-%llx %*s %llx %*s %llu %n", &start, &end, &off, &ino,
			   &name) < 4)
			continue;
		if (addr < start || addr >= end)
			continue;
		/* anonymous memory and [vdso], [stack]: no file to read */
		if (!ino || !name || line[name] != '/')
			break;
		m->start = start;
		m->end = end;
		m->offset = off;
		m->path = xstrdup(line + name);
		found = true;
	}
	free(maps);
	return found;
}

/* The mapped file itself, also when it was deleted or lives in another mount namespace. */
static int open_mapped(pid_t pid, const struct mapping *m)
{
	char path[4200];
	snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)pid,
		 m->start, m->end);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/%d/root%s", (int)pid, m->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	return open(m->path, O_RDONLY | O_CLOEXEC);
}

struct elf {
	const unsigned char *p;
	size_t size;
	const Elf64_Ehdr *eh;
};

static bool in_file(const struct elf *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

/* The ELF virtual address of a file offset, through the segment that maps it. */
static bool file_to_vaddr(const struct elf *e, uint64_t off, uint64_t *vaddr)
{
	const Elf64_Ehdr *eh = e->eh;
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(e, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
		return false;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(e->p + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (off >= ph[i].p_offset && off - ph[i].p_offset < ph[i].p_filesz) {
			*vaddr = off - ph[i].p_offset + ph[i].p_vaddr;
			return true;
		}
	}
	return false;
}

/* The function symbol of one table that contains vaddr; its name and start. */
static const char *lookup(const struct elf *e, uint32_t type, uint64_t vaddr, uint64_t *value)
{
	const Elf64_Ehdr *eh = e->eh;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(e, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return NULL;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(e->p + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != type || sh[i].sh_entsize != sizeof(Elf64_Sym) ||
		    sh[i].sh_link >= eh->e_shnum || !in_file(e, sh[i].sh_offset, sh[i].sh_size))
			continue;
		const Elf64_Shdr *str = &sh[sh[i].sh_link];
		if (!in_file(e, str->sh_offset, str->sh_size) || !str->sh_size)
			continue;
		const char *strs = (const char *)(e->p + str->sh_offset);
		const Elf64_Sym *sym = (const Elf64_Sym *)(e->p + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
		const Elf64_Sym *best = NULL;
		for (size_t j = 0; j < n; j++) {
			unsigned t = ELF64_ST_TYPE(sym[j].st_info);
			if ((t != STT_FUNC && t != STT_GNU_IFUNC) || sym[j].st_shndx == SHN_UNDEF ||
			    sym[j].st_name >= str->sh_size)
				continue;
			bool hit = sym[j].st_size ?
				vaddr >= sym[j].st_value && vaddr - sym[j].st_value < sym[j].st_size :
				vaddr == sym[j].st_value;
			/* of aliases, a global name before a local one */
			if (hit && (!best || (ELF64_ST_BIND(best->st_info) == STB_LOCAL &&
					      ELF64_ST_BIND(sym[j].st_info) != STB_LOCAL)))
				best = &sym[j];
		}
		if (best && memchr(strs + best->st_name, '\0', str->sh_size - best->st_name)) {
			*value = best->st_value;
			return strs + best->st_name;
		}
	}
	return NULL;
}

char *symbolize(pid_t pid, uint64_t addr)
{
	struct mapping m;
	if (!find_mapping(pid, addr, &m))
		return NULL;
	char *result = NULL;
	int fd = open_mapped(pid, &m);
	struct stat sb;
	void *p = MAP_FAILED;
	if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size >= (off_t)sizeof(Elf64_Ehdr))
		p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (fd >= 0)
		close(fd);
	if (p != MAP_FAILED) {
		struct elf e = { p, (size_t)sb.st_size, p };
		uint64_t vaddr, value;
		const char *name = NULL;
		if (!memcmp(e.eh->e_ident, ELFMAG, SELFMAG) &&
		    e.eh->e_ident[EI_CLASS] == ELFCLASS64 &&
		    file_to_vaddr(&e, addr - m.start + m.offset, &vaddr)) {
			name = lookup(&e, SHT_SYMTAB, vaddr, &value);
			if (!name)
				name = lookup(&e, SHT_DYNSYM, vaddr, &value);
		}
		if (name)
			result = xasprintf("%s+0x%" PRIx64 " (%s)", name, vaddr - value, m.path);
		munmap(p, (size_t)sb.st_size);
	}
	if (!result)
		result = xasprintf("(%s)", m.path);
	free(m.path);
	return result;
}
