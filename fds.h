/* fds.h: the descriptors pidone holds (fds.c). */
#ifndef FDS_H
#define FDS_H

void fds_open(void);
void fds_close_inherited(void);

#endif
