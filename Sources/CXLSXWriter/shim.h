#include <sys/syscall.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* An anonymous in-memory file (Linux memfd): a workbook rendered to bytes is written to
   /proc/self/fd/N, so no temporary file touches the disk. -1 where memfd is not available.
   Through syscall(2), not memfd_create(3): that needs _GNU_SOURCE, which would give this module
   other definitions of the system's types than the other modules see. */
static inline int energy_memory_file(const char *name) {
#ifdef SYS_memfd_create
    return (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
#else
    (void)name;
    return -1;
#endif
}
