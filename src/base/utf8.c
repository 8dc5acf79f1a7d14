/*
 * utf8.c: display widths of UTF-8 text (utf8.h): decoding with invalid
 * bytes, overlongs and surrogates as U+FFFD, and terminal columns per code
 * point (Unicode 15 East Asian Wide and Fullwidth; combining marks 0).
 */
#include "base/utf8.h"

#include "base/banned.h"

/* Decode one UTF-8 sequence at *pp (not at NUL); invalid bytes give 0xFFFD and advance 1. */
unsigned
utf8_next(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    unsigned c = p[0];
    int n = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 0;
    unsigned cp = n == 3 ? c & 7 : n == 2 ? c & 15 : n == 1 ? c & 31 : c;
    int bad = c >= 0x80 && n == 0;
    for (int i = 1; i <= n && !bad; i++) {
        bad = (p[i] & 0xC0) != 0x80;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid too. */
    bad = bad || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
          (cp >= 0xD800 && cp <= 0xDFFF);
    *pp = p + (bad ? 1 : 1 + n);
    return bad ? 0xFFFD : cp;
}

/* Terminal columns of a printable code point (Unicode 15 East Asian Wide and Fullwidth). */
int
utf8_cp_width(unsigned cp)
{
    static const unsigned zero[][2] = {
        {0x300, 0x36F}, {0x483, 0x489}, {0x591, 0x5BD}, {0x610, 0x61A}, {0x64B, 0x65F},
        {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200D}, {0x20D0, 0x20FF},
        {0x2060, 0x2060}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
        {0xE0100, 0xE01EF}};
    static const unsigned wide[][2] = {
        {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
        {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x26AA, 0x26AB},
        {0x26BD, 0x26BE}, {0x26F5, 0x26FA}, {0x2705, 0x2705}, {0x270A, 0x270B},
        {0x274C, 0x274C}, {0x2753, 0x2755}, {0x2795, 0x2797}, {0x2B1B, 0x2B1C},
        {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
        {0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
        {0x16FE0, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
        {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
        {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF},
        {0x20000, 0x3FFFD}};
    if (cp < 0x300)
        return 1;
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (cp >= zero[i][0] && cp <= zero[i][1])
            return 0;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

int
utf8_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = 0;
    while (*p) {
        if (*p < 0x20 || *p == 0x7F) {
            w += 2; /* shown escaped: \n, ^A */
            p++;
            continue;
        }
        w += utf8_cp_width(utf8_next(&p));
    }
    return w;
}

size_t
utf8_fit(const char *s, size_t len, int cols, int *used)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int w = 0;
    while (p < end && *p) {
        const unsigned char *q = p;
        int cw = *p < 0x20 || *p == 0x7F ? 2 : utf8_cp_width(utf8_next(&q));
        if (q == p)
            q++;
        if (q > end || w + cw > cols)
            break;
        w += cw;
        p = q;
    }
    if (used)
        *used = w;
    return (size_t)(p - (const unsigned char *)s);
}
