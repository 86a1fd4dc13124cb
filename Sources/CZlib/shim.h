// SimCore's view of zlib (Debian's zlib1g-dev): gzip-compressed JSON Lines are inflated as they
// are read. `inflateInit2` is a macro (it passes zlib's version and the stream's size), which
// Swift cannot call, so it is wrapped here.
#ifndef SIMCORE_CZLIB_SHIM_H
#define SIMCORE_CZLIB_SHIM_H

#include <zlib.h>

// Starts inflating a gzip stream (window bits 15 + 16: gzip only, with its CRC-32 and length
// checked at the end of every member).
static inline int simcore_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif
