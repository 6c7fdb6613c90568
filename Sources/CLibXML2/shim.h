// libxml2's streaming reader (xmlTextReader): the grid operator's XML and the XLSX parts are read
// through it, wrapped once in EnergyEDA/XMLStream.swift.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, so libxml/encoding.h would include the system's
// <unicode/ucnv.h>: a second definition of ICU's types (UErrorCode) beside Foundation's
// _FoundationICU, which breaks every Swift file that imports both. Nothing here uses the ICU
// members of xmlCharEncodingHandler (the only declarations the macro changes), so the headers are
// read without them; the library itself is unchanged.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
