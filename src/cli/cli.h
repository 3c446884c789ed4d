/* cli.h - the command line: global options, dispatch, help, exit codes. */
#ifndef AG_CLI_H
#define AG_CLI_H

/* Runs `auditgrid <command> [options]` and returns the process exit code:
 * 0 ok, 2 usage error, 3 input rejected (nothing written), 1 other failure. */
int cli_main(int argc, char **argv);

#endif
