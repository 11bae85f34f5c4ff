/* inspect.c: placeholder until --inspect lands. */
#include "pidone.h"

int
inspect_main(const struct opts *o)
{
	(void)o;
	say(2, "pidone: --inspect is not built yet");
	return EXIT_USAGE;
}
