/*
 * plot_quote.c: the one way user text enters a gnuplot script (plot.h,
 * "Safety"); apart from plot.c so that plot.c and plot_tree.c both use it
 * without calling each other back.
 */
#include "plot/plot.h"

#include <string.h>

#include "base/banned.h"

void
plot_quote(struct buf *b, const char *s)
{
    size_t len = strlen(s);
    if (len > 200) {
        len = 200;
        /* Back up to the first byte of a UTF-8 character. */
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    buf_addc(b, '\'');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            continue;
        if (c == '\'')
            buf_addc(b, '\'');
        buf_addc(b, (char)c);
    }
    buf_addc(b, '\'');
}
