/*
 * Not API: the one hook SimCoreC (the Swift side of libsimcore) needs from C. Callers of the
 * library include simcore.h only.
 */
#ifndef SIMCORE_INTERNAL_H
#define SIMCORE_INTERNAL_H

#include <stddef.h>

/** Stores the calling thread's last-error message (UTF-8, length bytes, cut at a character
 *  boundary if longer than the buffer) for simcore_last_error(). */
void _simcore_set_last_error(const char *message, size_t length);

#endif /* SIMCORE_INTERNAL_H */
