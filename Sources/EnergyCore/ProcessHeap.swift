// glibc's malloc_trim(3), declared in <malloc.h>, which the Glibc module does not export.
#if os(Linux)
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// The process's heap as the allocator keeps it.
///
/// glibc keeps what is freed in its arenas: after a burst of small allocations (the YAML tree of a
/// community file of 10,000 points is ~50 MB of them) the freed pages stay resident, and the
/// large buffers allocated next cannot reuse them, so the resident size would carry the burst to
/// the end of the run. Trimming gives those pages back; it takes well under a millisecond.
/// ```swift
/// let community = try CommunityFile.parse(text, source: path)
/// ProcessHeap.trim()
/// ```
public enum ProcessHeap {
    /// Returns the free pages of every arena to the system (nothing where malloc_trim is absent).
    public static func trim() {
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
    }
}
