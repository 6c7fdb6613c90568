#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>
#include <xlsxwriter.h>

/* An anonymous in-memory file (Linux memfd): a workbook rendered to bytes is written to
   /proc/self/fd/N, so no temporary file touches the disk. -1 where memfd is not available. */
static inline int energy_memory_file(const char *name) {
#ifdef MFD_CLOEXEC
    return memfd_create(name, MFD_CLOEXEC);
#else
    (void)name;
    return -1;
#endif
}
