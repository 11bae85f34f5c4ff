/* harden.h: RELRO applied where the C library does not (harden.c). */
#ifndef HARDEN_H
#define HARDEN_H

void harden_relro(void);

#endif
