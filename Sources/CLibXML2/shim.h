// libxml2's streaming reader (xmlTextReader): the grid operator's XML and the XLSX parts are read
// through it, wrapped once in EnergyEDA/XMLStream.swift.
#include <libxml/xmlreader.h>
