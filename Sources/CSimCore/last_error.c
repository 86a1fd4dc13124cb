// The thread-local last-error message behind simcore_last_error(): a fixed buffer per thread,
// so that recording an error never allocates and a thread's message outlives nothing but its
// own next failure. (C11 _Thread_local; with -fPIC it uses the dynamic TLS model, so the buffer
// costs nothing in threads that never fail, and dlopen of the library needs no static TLS.)
#include "simcore.h"
#include "simcore_internal.h"

#include <string.h>

enum { simcore_error_capacity = 4096 };
static _Thread_local char simcore_error_message[simcore_error_capacity];

const char *simcore_last_error(void) {
    return simcore_error_message;
}

void _simcore_set_last_error(const char *message, size_t length) {
    if (message == NULL) {
        length = 0;
    }
    if (length >= simcore_error_capacity) {
        // Cut before a UTF-8 continuation byte, so the message stays valid UTF-8.
        length = simcore_error_capacity - 1;
        while (length > 0 && ((unsigned char)message[length] & 0xC0) == 0x80) {
            length -= 1;
        }
    }
    if (length > 0) {
        memcpy(simcore_error_message, message, length);
    }
    simcore_error_message[length] = '\0';
}
