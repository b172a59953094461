//go:build linux

package ui

/*
#include <stdarg.h>
#include <stdio.h>

// cimgui-go's prebuilt static library was compiled against glibc 2.38+, whose headers turn sscanf
// into __isoc23_sscanf. Debian 12 ships glibc 2.36, which lacks that symbol; this forwarder supplies
// it. On newer glibc the executable's definition simply interposes libc's identical one.
int __isoc23_sscanf(const char *str, const char *format, ...) {
	va_list ap;
	va_start(ap, format);
	int n = vsscanf(str, format, ap);
	va_end(ap);
	return n;
}
*/
import "C"
