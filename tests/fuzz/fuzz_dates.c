/*
 * fuzz_dates.c: libFuzzer target for prep_date_parse (src/prep/prep.h), which
 * reads untrusted text from `clean dates=`. Whatever the input: no crash,
 * and an accepted value is ISO 8601 that parses again to itself (a fixed
 * point), with a real calendar date. Build and run: make fuzz.
 */
#include <stdlib.h>
#include <string.h>

#include "prep/prep.h"

static int
iso_shape(const char *s, int has_time)
{
    static const char date[] = "dddd-dd-dd", ts[] = "dddd-dd-ddTdd:dd:dd";
    const char *shape = has_time ? ts : date;
    if (strlen(s) != strlen(shape))
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
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
        char out[24], again[24];
        int has_time = 0, t2 = 0;
        if (prep_date_parse(in, dayfirst, out, &has_time) == 0) {
            if (!iso_shape(out, has_time))
                abort();
            if (prep_date_parse(out, dayfirst, again, &t2) != 0 || strcmp(out, again) != 0 ||
                t2 != has_time)
                abort();
        }
        (void)prep_date_dayfirst_hint(in);
    }
    free(in);
    return 0;
}
