/* inspect.h: pidone --inspect (inspect.c). */
#ifndef INSPECT_H
#define INSPECT_H

int inspect_main(int tsv);

#endif
