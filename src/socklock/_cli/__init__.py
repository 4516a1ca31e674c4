"""The command line (private): parses arguments, calls the library, picks a report and exit code."""
