/* The one error context a run ends with. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int pwzc_fail(struct pwzc_error *err, int exit_code, int res, const char *fmt, ...)
{
    va_list ap;

    if (err->exit_code == 0) {
        err->exit_code = exit_code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return res;
}
