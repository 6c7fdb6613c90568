/* libharu (libhpdf): PDF documents with the 14 built-in fonts. Debian ships no pkg-config file
   for it, so Package.swift names no pkgConfig; the header is in /usr/include and the library in
   the default search path. Wrapped once, thinly, by EnergyBilling/PDFDocument.swift. */
#include <hpdf.h>
