/* cli.c - command dispatch (filled in by the foundation work). */
#include "cli/cli.h"

#include <stdio.h>

int cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("auditgrid %s\n", AG_VERSION);
    return 0;
}
