/*
 * banned.h: libc calls we never use. Included by every .c file after the
 * system headers, so a use is a compile error. The safe replacements are
 * struct buf (src/base/buf.h) for text and strtod/strtoll with an end-pointer
 * check for numbers.
 */
#ifndef QUARRY_BANNED_H
#define QUARRY_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_quarry

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atof
#define atof(x) BANNED(atof)

#endif
