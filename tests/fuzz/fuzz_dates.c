/*
 * fuzz_dates.c: libFuzzer target for prep_date_parse (src/prep/prep.h), which
 * reads untrusted text from `clean dates=`. Whatever the input: no crash,
 * and an accepted value is ISO 8601 that parses again to itself (a fixed
 * point), with a real calendar date. Build and run: make fuzz.
 */
#include <stdlib.h>
#include <string.h>

#include "prep/prep.h"

/* YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss and an optional fraction of 1..9 digits. */
static int
iso_shape(const char *s, int has_time)
{
    static const char date[] = "dddd-dd-dd", ts[] = "dddd-dd-ddTdd:dd:dd";
    const char *shape = has_time ? ts : date;
    size_t n = strlen(shape), len = strlen(s);
    if (len < n || (len > n && (!has_time || s[n] != '.' || len == n + 1 || len > n + 10)))
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            return 0;
    for (size_t i = n + 1; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = 0;
    for (int dayfirst = 0; dayfirst < 2; dayfirst++) {
        struct prep_date out, again;
        if (prep_date_parse(in, dayfirst, &out) == 0) {
            if (!iso_shape(out.iso, out.has_time))
                abort();
            if (prep_date_parse(out.iso, dayfirst, &again) != 0 ||
                strcmp(out.iso, again.iso) != 0 || again.has_time != out.has_time ||
                again.offset)
                abort();
        }
        (void)prep_date_dayfirst_hint(in);
    }
    free(in);
    return 0;
}
