/*
 * libFuzzer target for the answer-file parser: whatever the bytes, it
 * returns 0 or -EINVAL with a message, and never crashes, leaks or reads
 * out of bounds (built with ASan and UBSan).  make check runs it briefly
 * from the sample answer files (installer/tests/run-fuzz).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "answerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct answers a;
    char err[512];
    int rc;

    rc = answerfile_parse(&a, (const char *)data, size, "fuzz.xml", err,
                          sizeof(err));
    if (rc != 0 && (rc != -EINVAL || !err[0]))
        abort(); /* every rejection says why */
    return 0;
}
