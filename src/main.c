/* main.c - the auditgrid binary: wires the command line to the modules. */
#include "cli/cli.h"
#include "util/banned.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
